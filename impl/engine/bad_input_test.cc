// Bad input: wrong arity, wrong types, non-numbers, unknown commands and
// options. Every such call returns Redis's error and changes nothing.
#include <gtest/gtest.h>

#include <random>

#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

class BadInput : public EngineTest {
 protected:
  void SetUp() override {
    c_->Call({"SET", "str", "hello"});
    c_->Call({"SET", "num", "10"});
    c_->Call({"HSET", "hash", "f", "v"});
    c_->Call({"RPUSH", "list", "a", "b"});
    c_->Call({"SADD", "set", "m"});
    c_->Call({"ZADD", "zset", "1", "m"});
    c_->Call({"SET", "ttl", "v", "EX", "100"});
  }
};

TEST_F(BadInput, UnknownCommand) {
  std::string before = Dump();
  EXPECT_EQ(c_->Call({"foo", "a", "b"}), Err("ERR unknown command 'foo', with args beginning with: 'a' 'b' "));
  EXPECT_EQ(c_->Call({"FOO"}), Err("ERR unknown command 'FOO', with args beginning with: "));
  EXPECT_EQ(c_->Call({"GET\r\nX"}), Err("ERR unknown command 'GET  X', with args beginning with: "));
  std::string longarg(300, 'x');
  Reply r = c_->Call({"nope", longarg});
  EXPECT_EQ(r.str(), "ERR unknown command 'nope', with args beginning with: '" + std::string(128, 'x') + "' ");
  EXPECT_EQ(c_->Call(std::vector<std::string>{}), Err("ERR empty command"));
  EXPECT_EQ(Dump(), before);
}

TEST_F(BadInput, WrongArityForEveryCommandChangesNothing) {
  std::string before = Dump();
  std::vector<std::vector<std::string>> calls = {
      {"GET"}, {"GET", "a", "b"}, {"SET", "k"}, {"INCR"}, {"INCRBY", "num"}, {"DEL"}, {"EXPIRE", "str"},
      {"HSET", "hash", "f"}, {"LPUSH", "list"}, {"SADD", "set"}, {"ZADD", "zset", "1"}, {"RENAME", "str"},
      {"SELECT"}, {"SWAPDB", "0"}, {"MULTI", "x"}, {"EXEC", "x"}, {"WATCH"}, {"BLPOP", "list"},
      {"MSET", "a"}, {"MSET", "a", "1", "b"}, {"HSET", "hash", "a", "1", "b"}, {"ECHO"}, {"TTL"},
      {"LRANGE", "list", "0"}, {"ZRANGE", "zset", "0"}, {"LPOP", "list", "1", "2"}, {"KEYS"}, {"SCAN"},
  };
  for (const auto& argv : calls) {
    Reply r = c_->Call(argv);
    ASSERT_TRUE(r.is_error()) << argv[0];
    // EXEC's arity error is an EXECABORT (T8_ExecWithWrongArity* in multi_test.cc).
    EXPECT_NE(r.str().find("wrong number of arguments for '"), std::string::npos) << r.str();
  }
  EXPECT_EQ(c_->Call({"GeT"}), Err("ERR wrong number of arguments for 'get' command"));
  EXPECT_EQ(Dump(), before);
}

TEST_F(BadInput, WrongTypeChangesNothing) {
  std::string before = Dump();
  std::vector<std::vector<std::string>> calls = {
      {"GET", "hash"}, {"INCR", "list"}, {"APPEND", "set", "x"}, {"HSET", "str", "f", "v"},
      {"LPUSH", "hash", "x"}, {"RPOP", "zset"}, {"SADD", "list", "x"}, {"ZADD", "set", "1", "x"},
      {"HINCRBY", "list", "f", "1"}, {"LREM", "str", "0", "x"}, {"SREM", "hash", "x"}, {"ZREM", "str", "x"},
      {"ZINCRBY", "hash", "1", "x"}, {"INCRBYFLOAT", "zset", "1"}, {"SET", "hash", "v", "GET"},
      {"GETDEL", "list"}, {"LRANGE", "set", "0", "1"}, {"SMEMBERS", "zset"}, {"BLPOP", "str", "0"},
  };
  for (const auto& argv : calls) EXPECT_EQ(c_->Call(argv), Err(kWrongType)) << argv[0];
  EXPECT_EQ(Dump(), before);
}

TEST_F(BadInput, BadNumbersAndOptionsChangeNothing) {
  std::string before = Dump();
  EXPECT_EQ(c_->Call({"INCRBY", "num", "1.5"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"INCR", "str"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"EXPIRE", "str", "soon"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"SET", "str", "x", "PX", "0"}), Err("ERR invalid expire time in 'set' command"));
  EXPECT_EQ(c_->Call({"SET", "str", "x", "WHENEVER"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"SET", "str", "x", "KEEPTTL", "EX", "5"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"ZADD", "zset", "1", "m", "bad", "n"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(c_->Call({"ZRANGE", "zset", "0", "1", "BOGUS"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"LINDEX", "list", "1e3"}), Err(kNotInt));
  // lindexCommand looks the key up before parsing the index.
  EXPECT_EQ(c_->Call({"LINDEX", "no-such-list", "x"}), Nil());
  EXPECT_EQ(c_->Call({"LINDEX", "str", "x"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"SELECT", "99"}), Err("ERR DB index is out of range"));
  EXPECT_EQ(c_->Call({"FLUSHALL", "NOW"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"FLUSHDB", "NOW"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"SWAPDB", "0", "-1"}), Err("ERR DB index is out of range"));
  EXPECT_EQ(c_->Call({"RENAME", "nokey", "str"}), Err("ERR no such key"));
  EXPECT_EQ(c_->Call({"HINCRBY", "hash", "f", "1"}), Err("ERR hash value is not an integer"));
  EXPECT_EQ(c_->Call({"INCRBYFLOAT", "num", "1e5000"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(Dump(), before);
}

// Random commands from the table with random arguments: nothing crashes, and
// every error reply leaves the keyspace unchanged.
TEST_F(BadInput, RandomCommandsNeverCrashAndErrorsChangeNothing) {
  const std::vector<std::string> names = {
      "PING", "ECHO", "TIME", "SELECT", "SWAPDB", "DBSIZE", "FLUSHDB", "KEYS", "SCAN", "EXISTS", "TYPE",
      "DEL", "UNLINK", "RENAME", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "TTL", "PTTL", "PERSIST",
      "GET", "SET", "SETNX", "GETSET", "GETDEL", "MGET", "MSET", "MSETNX", "INCR", "INCRBY", "DECR",
      "DECRBY", "INCRBYFLOAT", "APPEND", "STRLEN", "HSET", "HGET", "HMGET", "HDEL", "HGETALL", "HINCRBY",
      "HEXISTS", "HLEN", "LPUSH", "RPUSH", "LPOP", "RPOP", "LRANGE", "LLEN", "LINDEX", "LREM", "SADD",
      "SREM", "SMEMBERS", "SISMEMBER", "SCARD", "ZADD", "ZINCRBY", "ZSCORE", "ZREM", "ZCARD", "ZRANGE",
      "ZRANGEBYSCORE", "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "RESET", "NOSUCH"};
  const std::vector<std::string> args = {
      "str", "num", "hash", "list", "set", "zset", "ttl", "new", "0", "1", "-1", "2", "1.5", "-inf", "+inf",
      "(1", "nan", "", "x", "NX", "XX", "GT", "LT", "EX", "PX", "KEEPTTL", "GET", "CH", "INCR", "WITHSCORES",
      "LIMIT", "BYSCORE", "REV", "MATCH", "COUNT", "TYPE", "9223372036854775807", "-9223372036854775808",
      "99999999999999999999", "*", "[", "\\", "15", "16"};
  std::mt19937_64 rng(12345);
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::string> argv = {names[rng() % names.size()]};
    int n = static_cast<int>(rng() % 6);
    for (int j = 0; j < n; ++j) argv.push_back(args[rng() % args.size()]);
    bool in_multi = c_->in_multi();
    std::string before = in_multi ? "" : Dump();
    Reply r = c_->Call(argv);
    if (r.is_error() && !in_multi && argv[0] != "EXEC") {
      ASSERT_EQ(Dump(), before) << r.str() << " for " << argv[0];
    }
  }
  c_->Call({"RESET"});
}

}  // namespace
}  // namespace txlab::testing
