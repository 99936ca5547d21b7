// Server and generic key commands.
#include <gtest/gtest.h>

#include "impl/engine/command.h"
#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

using Keys = EngineTest;

TEST_F(Keys, PingEchoTime) {
  EXPECT_EQ(c_->Call({"PING"}), Status("PONG"));
  EXPECT_EQ(c_->Call({"PING", "hi"}), Bulk("hi"));
  EXPECT_EQ(c_->Call({"PING", "a", "b"}), Err("ERR wrong number of arguments for 'ping' command"));
  EXPECT_EQ(c_->Call({"ECHO", "x"}), Bulk("x"));
  Reply t = c_->Call({"TIME"});
  ASSERT_EQ(t.elems().size(), 2u);
  EXPECT_EQ(t.elems()[0], Bulk(std::to_string(clock_.NowUs() / 1000000)));
  EXPECT_EQ(t.elems()[1], Bulk(std::to_string(clock_.NowUs() % 1000000)));
}

TEST_F(Keys, SelectAndDatabases) {
  c_->Call({"SET", "k", "db0"});
  EXPECT_EQ(c_->Call({"SELECT", "15"}), Ok());
  EXPECT_EQ(c_->Call({"GET", "k"}), Nil());
  EXPECT_EQ(c_->Call({"SELECT", "16"}), Err("ERR DB index is out of range"));
  EXPECT_EQ(c_->Call({"SELECT", "-1"}), Err("ERR DB index is out of range"));
  EXPECT_EQ(c_->Call({"SELECT", "x"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"SELECT", "4294967296"}),
            Err("ERR value is out of range, value must between -2147483648 and 2147483647"));
  c_->Call({"SELECT", "0"});
  EXPECT_EQ(c_->Call({"GET", "k"}), Bulk("db0"));
}

TEST_F(Keys, SwapDb) {
  c_->Call({"SET", "k", "db0"});
  EXPECT_EQ(c_->Call({"SWAPDB", "0", "1"}), Ok());
  EXPECT_EQ(c_->Call({"GET", "k"}), Nil());
  c_->Call({"SELECT", "1"});
  EXPECT_EQ(c_->Call({"GET", "k"}), Bulk("db0"));
  EXPECT_EQ(c_->Call({"SWAPDB", "x", "1"}), Err("ERR invalid first DB index"));
  EXPECT_EQ(c_->Call({"SWAPDB", "0", "y"}), Err("ERR invalid second DB index"));
  EXPECT_EQ(c_->Call({"SWAPDB", "0", "16"}), Err("ERR DB index is out of range"));
  EXPECT_EQ(c_->Call({"SWAPDB", "3", "3"}), Ok());
}

TEST_F(Keys, DbSizeFlush) {
  c_->Call({"MSET", "a", "1", "b", "2"});
  c_->Call({"SELECT", "1"});
  c_->Call({"SET", "c", "3"});
  EXPECT_EQ(c_->Call({"DBSIZE"}), Int(1));
  EXPECT_EQ(c_->Call({"FLUSHDB", "foo"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"FLUSHDB", "SYNC"}), Ok());
  EXPECT_EQ(c_->Call({"DBSIZE"}), Int(0));
  c_->Call({"SELECT", "0"});
  EXPECT_EQ(c_->Call({"DBSIZE"}), Int(2));
  EXPECT_EQ(c_->Call({"FLUSHALL", "async", "x"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"FLUSHALL"}), Ok());
  EXPECT_EQ(c_->Call({"DBSIZE"}), Int(0));
}

TEST_F(Keys, KeysPatterns) {
  c_->Call({"MSET", "hello", "1", "hallo", "1", "hxllo", "1", "hllo", "1", "heeeello", "1", "a*b", "1"});
  EXPECT_EQ(Sorted(c_->Call({"KEYS", "h?llo"})), Bulks({"hallo", "hello", "hxllo"}));
  EXPECT_EQ(Sorted(c_->Call({"KEYS", "h*llo"})), Bulks({"hallo", "heeeello", "hello", "hllo", "hxllo"}));
  EXPECT_EQ(Sorted(c_->Call({"KEYS", "h[ae]llo"})), Bulks({"hallo", "hello"}));
  EXPECT_EQ(Sorted(c_->Call({"KEYS", "h[^e]llo"})), Bulks({"hallo", "hxllo"}));
  EXPECT_EQ(Sorted(c_->Call({"KEYS", "h[a-b]llo"})), Bulks({"hallo"}));
  EXPECT_EQ(c_->Call({"KEYS", "a\\*b"}), Bulks({"a*b"}));
  EXPECT_EQ(c_->Call({"KEYS", "nomatch*"}), Arr({}));
}

TEST_F(Keys, Scan) {
  c_->Call({"MSET", "a1", "1", "a2", "1", "b1", "1"});
  c_->Call({"SADD", "s", "m"});
  Reply r = c_->Call({"SCAN", "0"});
  ASSERT_EQ(r.elems().size(), 2u);
  EXPECT_EQ(r.elems()[0], Bulk("0"));
  EXPECT_EQ(Sorted(r.elems()[1]), Bulks({"a1", "a2", "b1", "s"}));
  r = c_->Call({"SCAN", "0", "MATCH", "a*", "COUNT", "1"});
  EXPECT_EQ(Sorted(r.elems()[1]), Bulks({"a1", "a2"}));
  r = c_->Call({"SCAN", "0", "TYPE", "set"});
  EXPECT_EQ(r.elems()[1], Bulks({"s"}));
  EXPECT_EQ(c_->Call({"SCAN", "x"}), Err("ERR invalid cursor"));
  EXPECT_EQ(c_->Call({"SCAN", "0", "COUNT", "0"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"SCAN", "0", "BOGUS", "1"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"SCAN", "0", "MATCH"}), Err(kSyntax));
}

TEST_F(Keys, ExistsTypeDelUnlink) {
  c_->Call({"SET", "s", "v"});
  c_->Call({"HSET", "h", "f", "v"});
  c_->Call({"RPUSH", "l", "v"});
  c_->Call({"SADD", "st", "v"});
  c_->Call({"ZADD", "z", "1", "v"});
  EXPECT_EQ(c_->Call({"TYPE", "s"}), Status("string"));
  EXPECT_EQ(c_->Call({"TYPE", "h"}), Status("hash"));
  EXPECT_EQ(c_->Call({"TYPE", "l"}), Status("list"));
  EXPECT_EQ(c_->Call({"TYPE", "st"}), Status("set"));
  EXPECT_EQ(c_->Call({"TYPE", "z"}), Status("zset"));
  EXPECT_EQ(c_->Call({"TYPE", "none"}), Status("none"));
  EXPECT_EQ(c_->Call({"EXISTS", "s", "s", "h", "nope"}), Int(3));
  EXPECT_EQ(c_->Call({"DEL", "s", "h", "nope"}), Int(2));
  EXPECT_EQ(c_->Call({"UNLINK", "l", "st", "z"}), Int(3));
  EXPECT_EQ(c_->Call({"DBSIZE"}), Int(0));
}

TEST_F(Keys, Rename) {
  EXPECT_EQ(c_->Call({"RENAME", "a", "b"}), Err("ERR no such key"));
  c_->Call({"SET", "a", "1"});
  EXPECT_EQ(c_->Call({"RENAME", "a", "a"}), Ok());
  EXPECT_EQ(c_->Call({"RENAME", "a", "b"}), Ok());
  EXPECT_EQ(c_->Call({"GET", "b"}), Bulk("1"));
  EXPECT_EQ(c_->Call({"EXISTS", "a"}), Int(0));
  c_->Call({"RPUSH", "l", "x"});
  EXPECT_EQ(c_->Call({"RENAME", "l", "b"}), Ok());  // overwrites any type
  EXPECT_EQ(c_->Call({"TYPE", "b"}), Status("list"));
}

TEST_F(Keys, CommandNamesAreCaseInsensitive) {
  EXPECT_EQ(c_->Call({"sEt", "k", "v"}), Ok());
  EXPECT_EQ(c_->Call({"GeT", "k"}), Bulk("v"));
  EXPECT_EQ(c_->Call({"SET", "k", "v", "nX"}), Nil());
}

}  // namespace
}  // namespace txlab::testing

namespace txlab::testing {
namespace {

TEST(CommandTable, FlagsAndKeyPositions) {
  const CommandTable& t = CommandTable::Get();
  ASSERT_NE(t.Find("GET"), nullptr);
  EXPECT_EQ(t.Find("gEt"), t.Find("get"));
  EXPECT_EQ(t.Find("nosuch"), nullptr);
  EXPECT_EQ(t.Find(""), nullptr);
  EXPECT_TRUE(t.Find("set")->Has(kCmdWrite));
  EXPECT_TRUE(t.Find("get")->Has(kCmdReadonly));
  EXPECT_TRUE(t.Find("blpop")->Has(kCmdBlocking));
  EXPECT_TRUE(t.Find("exec")->Has(kCmdNoScript));
  EXPECT_TRUE(t.Find("multi")->Has(kCmdAllowBusy));
  for (const char* name : {"smembers", "hgetall", "keys", "scan"}) {
    EXPECT_TRUE(t.Find(name)->Has(kCmdUnorderedReply)) << name;
  }
  std::vector<std::string_view> mset = {"MSET", "a", "1", "b", "2"};
  EXPECT_EQ(t.Find("mset")->Keys(mset), (std::vector<std::string_view>{"a", "b"}));
  std::vector<std::string_view> blpop = {"BLPOP", "x", "y", "0"};
  EXPECT_EQ(t.Find("blpop")->Keys(blpop), (std::vector<std::string_view>{"x", "y"}));
  std::vector<std::string_view> ping = {"PING"};
  EXPECT_TRUE(t.Find("ping")->Keys(ping).empty());
  // Every command has a handler and a Redis-style arity.
  for (const auto& [name, spec] : t.all()) {
    EXPECT_NE(spec.handler, nullptr) << name;
    EXPECT_NE(spec.arity, 0) << name;
  }
}

}  // namespace
}  // namespace txlab::testing
