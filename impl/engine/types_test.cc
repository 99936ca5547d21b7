// Hash, list, set and sorted-set commands: exact replies and errors.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

using Hashes = EngineTest;
using Lists = EngineTest;
using Sets = EngineTest;
using ZSets = EngineTest;

TEST_F(Hashes, Basic) {
  EXPECT_EQ(c_->Call({"HSET", "h", "a", "1", "b", "2"}), Int(2));
  EXPECT_EQ(c_->Call({"HSET", "h", "a", "9", "c", "3"}), Int(1));
  EXPECT_EQ(c_->Call({"HGET", "h", "a"}), Bulk("9"));
  EXPECT_EQ(c_->Call({"HGET", "h", "zz"}), Nil());
  EXPECT_EQ(c_->Call({"HGET", "nokey", "a"}), Nil());
  EXPECT_EQ(c_->Call({"HMGET", "h", "a", "x", "c"}), Arr({Bulk("9"), Nil(), Bulk("3")}));
  EXPECT_EQ(c_->Call({"HMGET", "nokey", "a"}), Arr({Nil()}));
  EXPECT_EQ(c_->Call({"HLEN", "h"}), Int(3));
  EXPECT_EQ(c_->Call({"HEXISTS", "h", "b"}), Int(1));
  EXPECT_EQ(c_->Call({"HEXISTS", "h", "x"}), Int(0));
  // HGETALL order is unspecified: compare as sorted pairs.
  Reply all = c_->Call({"HGETALL", "h"});
  ASSERT_EQ(all.elems().size(), 6u);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i < 6; i += 2) pairs.emplace_back(all.elems()[i].str(), all.elems()[i + 1].str());
  std::sort(pairs.begin(), pairs.end());
  EXPECT_EQ(pairs, (std::vector<std::pair<std::string, std::string>>{{"a", "9"}, {"b", "2"}, {"c", "3"}}));
  EXPECT_EQ(c_->Call({"HDEL", "h", "a", "x"}), Int(1));
  EXPECT_EQ(c_->Call({"HDEL", "h", "b", "c"}), Int(2));
  EXPECT_EQ(c_->Call({"EXISTS", "h"}), Int(0));  // empty hash removed
  EXPECT_EQ(c_->Call({"HGETALL", "h"}), Arr({}));
  EXPECT_EQ(c_->Call({"HSET", "h", "a"}), Err("ERR wrong number of arguments for 'hset' command"));
  EXPECT_EQ(c_->Call({"HSET", "h", "a", "1", "b"}), Err("ERR wrong number of arguments for 'hset' command"));
}

TEST_F(Hashes, HIncrBy) {
  EXPECT_EQ(c_->Call({"HINCRBY", "h", "n", "5"}), Int(5));
  EXPECT_EQ(c_->Call({"HINCRBY", "h", "n", "-7"}), Int(-2));
  c_->Call({"HSET", "h", "s", "abc"});
  EXPECT_EQ(c_->Call({"HINCRBY", "h", "s", "1"}), Err("ERR hash value is not an integer"));
  EXPECT_EQ(c_->Call({"HINCRBY", "h", "n", "x"}), Err(kNotInt));
  c_->Call({"HSET", "h", "big", "9223372036854775807"});
  EXPECT_EQ(c_->Call({"HINCRBY", "h", "big", "1"}), Err("ERR increment or decrement would overflow"));
  EXPECT_EQ(c_->Call({"HINCRBY", "fresh", "n", "x"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"EXISTS", "fresh"}), Int(0));
}

TEST_F(Hashes, WrongType) {
  c_->Call({"SET", "s", "v"});
  for (auto argv : std::vector<std::vector<std::string>>{{"HSET", "s", "f", "v"},
                                                          {"HGET", "s", "f"},
                                                          {"HMGET", "s", "f"},
                                                          {"HDEL", "s", "f"},
                                                          {"HGETALL", "s"},
                                                          {"HINCRBY", "s", "f", "1"},
                                                          {"HEXISTS", "s", "f"},
                                                          {"HLEN", "s"}}) {
    EXPECT_EQ(c_->Call(argv), Err(kWrongType)) << argv[0];
  }
  EXPECT_EQ(c_->Call({"GET", "s"}), Bulk("v"));
}

TEST_F(Lists, PushPopRange) {
  EXPECT_EQ(c_->Call({"RPUSH", "l", "a", "b", "c"}), Int(3));
  EXPECT_EQ(c_->Call({"LPUSH", "l", "x", "y"}), Int(5));
  EXPECT_EQ(c_->Call({"LRANGE", "l", "0", "-1"}), Bulks({"y", "x", "a", "b", "c"}));
  EXPECT_EQ(c_->Call({"LRANGE", "l", "1", "2"}), Bulks({"x", "a"}));
  EXPECT_EQ(c_->Call({"LRANGE", "l", "-2", "100"}), Bulks({"b", "c"}));
  EXPECT_EQ(c_->Call({"LRANGE", "l", "3", "1"}), Arr({}));
  EXPECT_EQ(c_->Call({"LRANGE", "nokey", "0", "-1"}), Arr({}));
  EXPECT_EQ(c_->Call({"LLEN", "l"}), Int(5));
  EXPECT_EQ(c_->Call({"LINDEX", "l", "0"}), Bulk("y"));
  EXPECT_EQ(c_->Call({"LINDEX", "l", "-1"}), Bulk("c"));
  EXPECT_EQ(c_->Call({"LINDEX", "l", "5"}), Nil());
  EXPECT_EQ(c_->Call({"LPOP", "l"}), Bulk("y"));
  EXPECT_EQ(c_->Call({"RPOP", "l"}), Bulk("c"));
  EXPECT_EQ(c_->Call({"LPOP", "l", "2"}), Bulks({"x", "a"}));
  EXPECT_EQ(c_->Call({"RPOP", "l", "5"}), Bulks({"b"}));
  EXPECT_EQ(c_->Call({"EXISTS", "l"}), Int(0));
  EXPECT_EQ(c_->Call({"LPOP", "l"}), Nil());
  EXPECT_EQ(c_->Call({"LPOP", "l", "2"}), NilArray());
  c_->Call({"RPUSH", "l", "a"});
  EXPECT_EQ(c_->Call({"LPOP", "l", "0"}), Arr({}));
  EXPECT_EQ(c_->Call({"LPOP", "l", "-1"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(c_->Call({"LPOP", "l", "x"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(c_->Call({"LPOP", "l", "1", "2"}), Err("ERR wrong number of arguments for 'lpop' command"));
  EXPECT_EQ(c_->Call({"LRANGE", "l", "a", "1"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"LINDEX", "l", "a"}), Err(kNotInt));
}

TEST_F(Lists, LRem) {
  c_->Call({"RPUSH", "l", "a", "b", "a", "c", "a"});
  EXPECT_EQ(c_->Call({"LREM", "l", "1", "a"}), Int(1));
  EXPECT_EQ(c_->Call({"LRANGE", "l", "0", "-1"}), Bulks({"b", "a", "c", "a"}));
  EXPECT_EQ(c_->Call({"LREM", "l", "-1", "a"}), Int(1));
  EXPECT_EQ(c_->Call({"LRANGE", "l", "0", "-1"}), Bulks({"b", "a", "c"}));
  EXPECT_EQ(c_->Call({"LREM", "l", "0", "a"}), Int(1));
  EXPECT_EQ(c_->Call({"LREM", "l", "0", "zz"}), Int(0));
  EXPECT_EQ(c_->Call({"LREM", "l", "0", "b"}), Int(1));
  EXPECT_EQ(c_->Call({"LREM", "l", "0", "c"}), Int(1));
  EXPECT_EQ(c_->Call({"EXISTS", "l"}), Int(0));
  EXPECT_EQ(c_->Call({"LREM", "l", "x", "c"}), Err(kNotInt));
}

TEST_F(Lists, BlpopImmediate) {
  c_->Call({"RPUSH", "b", "1", "2"});
  EXPECT_EQ(c_->Call({"BLPOP", "a", "b", "0"}), Bulks({"b", "1"}));
  EXPECT_EQ(c_->Call({"BRPOP", "a", "b", "0"}), Bulks({"b", "2"}));
  EXPECT_EQ(c_->Call({"BLPOP", "a", "0.05"}), NilArray());  // times out
  EXPECT_EQ(c_->Call({"BLPOP", "a", "-1"}), Err("ERR timeout is negative"));
  EXPECT_EQ(c_->Call({"BLPOP", "a", "x"}), Err("ERR timeout is not a float or out of range"));
  c_->Call({"SET", "s", "v"});
  EXPECT_EQ(c_->Call({"BLPOP", "s", "0"}), Err(kWrongType));
}

TEST_F(Lists, BlpopBlocksUntilPush) {
  std::thread pusher([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(c2_->Call({"RPUSH", "q", "job"}), Int(1));
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(c_->Call({"BLPOP", "q", "5"}), Bulks({"q", "job"}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  pusher.join();
  EXPECT_EQ(c_->Call({"EXISTS", "q"}), Int(0));
}

TEST_F(Lists, BlpopWaitDoesNotHoldTheLock) {
  std::thread waiter([&] { EXPECT_EQ(c_->Call({"BRPOP", "q", "0.3"}), NilArray()); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(c2_->Call({"SET", "x", "1"}), Ok());  // would deadlock if BRPOP held the lock
  waiter.join();
}

TEST_F(Sets, Basic) {
  EXPECT_EQ(c_->Call({"SADD", "s", "a", "b", "a"}), Int(2));
  EXPECT_EQ(c_->Call({"SADD", "s", "b"}), Int(0));
  EXPECT_EQ(c_->Call({"SCARD", "s"}), Int(2));
  EXPECT_EQ(c_->Call({"SISMEMBER", "s", "a"}), Int(1));
  EXPECT_EQ(c_->Call({"SISMEMBER", "s", "z"}), Int(0));
  EXPECT_EQ(Sorted(c_->Call({"SMEMBERS", "s"})), Bulks({"a", "b"}));
  EXPECT_EQ(c_->Call({"SREM", "s", "a", "z"}), Int(1));
  EXPECT_EQ(c_->Call({"SREM", "s", "b"}), Int(1));
  EXPECT_EQ(c_->Call({"EXISTS", "s"}), Int(0));
  EXPECT_EQ(c_->Call({"SMEMBERS", "s"}), Arr({}));
  EXPECT_EQ(c_->Call({"SCARD", "s"}), Int(0));
  c_->Call({"SET", "str", "v"});
  EXPECT_EQ(c_->Call({"SADD", "str", "a"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"SMEMBERS", "str"}), Err(kWrongType));
}

TEST_F(ZSets, AddScoreRange) {
  EXPECT_EQ(c_->Call({"ZADD", "z", "1", "a", "2", "b", "3", "c"}), Int(3));
  EXPECT_EQ(c_->Call({"ZADD", "z", "1.1", "a"}), Int(0));
  EXPECT_EQ(c_->Call({"ZSCORE", "z", "a"}), Bulk("1.1000000000000001"));  // Redis 7.0 %.17g
  EXPECT_EQ(c_->Call({"ZSCORE", "z", "b"}), Bulk("2"));
  EXPECT_EQ(c_->Call({"ZSCORE", "z", "x"}), Nil());
  EXPECT_EQ(c_->Call({"ZCARD", "z"}), Int(3));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "0", "-1"}), Bulks({"a", "b", "c"}));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "0", "0", "WITHSCORES"}), Bulks({"a", "1.1000000000000001"}));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "0", "1", "REV"}), Bulks({"c", "b"}));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "2", "+inf", "BYSCORE"}), Bulks({"b", "c"}));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "+inf", "(2", "BYSCORE", "REV"}), Bulks({"c"}));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "1"}), Bulks({"b"}));
  EXPECT_EQ(c_->Call({"ZRANGEBYSCORE", "z", "(1.1", "3", "WITHSCORES"}), Bulks({"b", "2", "c", "3"}));
  EXPECT_EQ(c_->Call({"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "0", "-1"}), Bulks({"a", "b", "c"}));
  EXPECT_EQ(c_->Call({"ZRANGEBYSCORE", "z", "x", "1"}), Err("ERR min or max is not a float"));
  EXPECT_EQ(c_->Call({"ZRANGEBYSCORE", "z", "0", "1", "REV"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "0", "1", "LIMIT", "0", "1"}),
            Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "a", "1"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"ZRANGE", "nokey", "0", "-1"}), Arr({}));
}

TEST_F(ZSets, RangeByLex) {
  c_->Call({"ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d"});
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "[b", "+", "BYLEX"}), Bulks({"b", "c", "d"}));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "(b", "[c", "BYLEX"}), Bulks({"c"}));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "+", "-", "BYLEX", "REV", "LIMIT", "1", "2"}), Bulks({"c", "b"}));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "b", "+", "BYLEX"}), Err("ERR min or max not valid string range item"));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"}),
            Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
}

TEST_F(ZSets, TiesOrderedByMember) {
  c_->Call({"ZADD", "z", "1", "b", "1", "a", "1", "c", "0", "z"});
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "0", "-1"}), Bulks({"z", "a", "b", "c"}));
}

TEST_F(ZSets, AddOptions) {
  EXPECT_EQ(c_->Call({"ZADD", "z", "XX", "1", "a"}), Int(0));
  EXPECT_EQ(c_->Call({"EXISTS", "z"}), Int(0));
  EXPECT_EQ(c_->Call({"ZADD", "z", "NX", "1", "a"}), Int(1));
  EXPECT_EQ(c_->Call({"ZADD", "z", "NX", "5", "a"}), Int(0));
  EXPECT_EQ(c_->Call({"ZADD", "z", "CH", "5", "a", "1", "b"}), Int(2));
  EXPECT_EQ(c_->Call({"ZADD", "z", "GT", "CH", "4", "a"}), Int(0));
  EXPECT_EQ(c_->Call({"ZADD", "z", "GT", "CH", "6", "a"}), Int(1));
  EXPECT_EQ(c_->Call({"ZADD", "z", "LT", "CH", "0", "b"}), Int(1));
  EXPECT_EQ(c_->Call({"ZADD", "z", "INCR", "2", "a"}), Bulk("8"));
  EXPECT_EQ(c_->Call({"ZADD", "z", "NX", "INCR", "2", "a"}), Nil());
  EXPECT_EQ(c_->Call({"ZADD", "z", "NX", "XX", "1", "a"}), Err("ERR XX and NX options at the same time are not compatible"));
  EXPECT_EQ(c_->Call({"ZADD", "z", "GT", "LT", "1", "a"}),
            Err("ERR GT, LT, and/or NX options at the same time are not compatible"));
  EXPECT_EQ(c_->Call({"ZADD", "z", "INCR", "1", "a", "2", "b"}),
            Err("ERR INCR option supports a single increment-element pair"));
  EXPECT_EQ(c_->Call({"ZADD", "z", "1"}), Err("ERR wrong number of arguments for 'zadd' command"));
  EXPECT_EQ(c_->Call({"ZADD", "z", "NX", "1"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"ZADD", "z", "1", "a", "x", "b"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(c_->Call({"ZADD", "z", "nan", "a"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(c_->Call({"ZSCORE", "z", "a"}), Bulk("8"));
}

TEST_F(ZSets, IncrByRemCard) {
  EXPECT_EQ(c_->Call({"ZINCRBY", "z", "2.5", "m"}), Bulk("2.5"));
  EXPECT_EQ(c_->Call({"ZINCRBY", "z", "-1", "m"}), Bulk("1.5"));
  EXPECT_EQ(c_->Call({"ZINCRBY", "z", "x", "m"}), Err("ERR value is not a valid float"));
  c_->Call({"ZADD", "z", "inf", "i"});
  EXPECT_EQ(c_->Call({"ZSCORE", "z", "i"}), Bulk("inf"));
  EXPECT_EQ(c_->Call({"ZINCRBY", "z", "-inf", "i"}), Err("ERR resulting score is not a number (NaN)"));
  EXPECT_EQ(c_->Call({"ZREM", "z", "m", "nope"}), Int(1));
  EXPECT_EQ(c_->Call({"ZREM", "z", "i"}), Int(1));
  EXPECT_EQ(c_->Call({"EXISTS", "z"}), Int(0));
  c_->Call({"SET", "s", "v"});
  EXPECT_EQ(c_->Call({"ZADD", "s", "1", "a"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"ZRANGE", "s", "0", "1"}), Err(kWrongType));
}

}  // namespace
}  // namespace txlab::testing
