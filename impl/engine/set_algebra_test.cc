// Multi-key set commands (SINTER SUNION SDIFF, their *STORE forms,
// SINTERCARD, SMOVE, SMISMEMBER): exact replies and errors as redis-server
// 7.0.15 gives them, RESP3 shapes, and which keys they touch (T20, T21).
#include <gtest/gtest.h>

#include <string>

#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

using Sets = EngineTest;

using SetsWatch = EngineTest;  // WatchedExecRuns (engine_test_util.h)

class SetsTest : public EngineTest {
 protected:
  SetsTest() {
    c_->Call({"SADD", "s1", "a", "b", "c"});
    c_->Call({"SADD", "s2", "b", "c", "d"});
    c_->Call({"SET", "str", "x"});
  }
};

TEST_F(SetsTest, InterUnionDiff) {
  EXPECT_EQ(Sorted(c_->Call({"SINTER", "s1", "s2"})), Bulks({"b", "c"}));
  EXPECT_EQ(Sorted(c_->Call({"SINTER", "s1"})), Bulks({"a", "b", "c"}));
  EXPECT_EQ(c_->Call({"SINTER", "s1", "nokey"}), Arr({}));
  EXPECT_EQ(Sorted(c_->Call({"SUNION", "s1", "nokey", "s2"})), Bulks({"a", "b", "c", "d"}));
  EXPECT_EQ(c_->Call({"SUNION", "nokey"}), Arr({}));
  EXPECT_EQ(Sorted(c_->Call({"SDIFF", "s1", "s2"})), Bulks({"a"}));
  EXPECT_EQ(Sorted(c_->Call({"SDIFF", "s1", "nokey"})), Bulks({"a", "b", "c"}));
  EXPECT_EQ(c_->Call({"SDIFF", "nokey", "s1"}), Arr({}));
  EXPECT_EQ(c_->Call({"SDIFF", "s1", "s1"}), Arr({}));
  // Every key is type-checked, even after a missing (empty) one.
  for (std::string cmd : {"sinter", "sunion", "sdiff"}) {
    EXPECT_EQ(c_->Call({cmd, "nokey", "str"}), Err(kWrongType)) << cmd;
    EXPECT_EQ(c_->Call({cmd, "str", "nokey"}), Err(kWrongType)) << cmd;
    EXPECT_EQ(c_->Call({cmd}), Err("ERR wrong number of arguments for '" + cmd + "' command"));
    EXPECT_EQ(c_->Call({cmd + "store", "d"}), Err("ERR wrong number of arguments for '" + cmd + "store' command"));
  }
}

TEST_F(SetsTest, StoreOverwritesAnyTypeAndTtlAndEmptyDeletes) {
  c_->Call({"SET", "d", "v", "EX", "100"});
  EXPECT_EQ(c_->Call({"SINTERSTORE", "d", "s1", "s2"}), Int(2));
  EXPECT_EQ(c_->Call({"TYPE", "d"}), Status("set"));
  EXPECT_EQ(c_->Call({"TTL", "d"}), Int(-1));
  EXPECT_EQ(Sorted(c_->Call({"SMEMBERS", "d"})), Bulks({"b", "c"}));
  EXPECT_EQ(c_->Call({"SUNIONSTORE", "d", "d", "s1"}), Int(3));  // a source may be the destination
  EXPECT_EQ(Sorted(c_->Call({"SMEMBERS", "d"})), Bulks({"a", "b", "c"}));
  EXPECT_EQ(c_->Call({"SDIFFSTORE", "d", "s2", "s1"}), Int(1));
  EXPECT_EQ(c_->Call({"SMEMBERS", "d"}), Bulks({"d"}));
  // An empty result deletes the destination, whatever it held.
  EXPECT_EQ(c_->Call({"SDIFFSTORE", "d", "s1", "s1"}), Int(0));
  EXPECT_EQ(c_->Call({"EXISTS", "d"}), Int(0));
  c_->Call({"RPUSH", "l", "x"});
  EXPECT_EQ(c_->Call({"SINTERSTORE", "l", "s1", "nokey"}), Int(0));
  EXPECT_EQ(c_->Call({"EXISTS", "l"}), Int(0));
  EXPECT_EQ(c_->Call({"SUNIONSTORE", "str", "nokey"}), Int(0));
  EXPECT_EQ(c_->Call({"EXISTS", "str"}), Int(0));
  // A source of the wrong type fails before the destination is touched.
  c_->Call({"SET", "str", "x"});
  c_->Call({"SET", "keep", "v"});
  EXPECT_EQ(c_->Call({"SINTERSTORE", "keep", "nokey", "str"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"GET", "keep"}), Bulk("v"));
}

TEST_F(SetsTest, SInterCard) {
  EXPECT_EQ(c_->Call({"SINTERCARD", "2", "s1", "s2"}), Int(2));
  EXPECT_EQ(c_->Call({"SINTERCARD", "1", "s1"}), Int(3));
  EXPECT_EQ(c_->Call({"SINTERCARD", "2", "s1", "nokey"}), Int(0));
  EXPECT_EQ(c_->Call({"SINTERCARD", "2", "s1", "s2", "LIMIT", "1"}), Int(1));
  EXPECT_EQ(c_->Call({"SINTERCARD", "2", "s1", "s2", "limit", "0"}), Int(2));  // 0: no limit
  EXPECT_EQ(c_->Call({"SINTERCARD", "1", "s1", "LIMIT", "1", "LIMIT", "5"}), Int(3));
  EXPECT_EQ(c_->Call({"SINTERCARD", "0", "s1"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(c_->Call({"SINTERCARD", "-1", "s1"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(c_->Call({"SINTERCARD", "x", "s1"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(c_->Call({"SINTERCARD", "3", "s1", "s2"}), Err("ERR Number of keys can't be greater than number of args"));
  EXPECT_EQ(c_->Call({"SINTERCARD", "1", "s1", "LIMIT", "-1"}), Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(c_->Call({"SINTERCARD", "1", "s1", "LIMIT", "x"}), Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(c_->Call({"SINTERCARD", "1", "s1", "LIMIT"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"SINTERCARD", "1", "s1", "foo", "1"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"SINTERCARD", "2", "nokey", "str"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"SINTERCARD", "1"}), Err("ERR wrong number of arguments for 'sintercard' command"));
}

TEST_F(SetsTest, SMIsMember) {
  EXPECT_EQ(c_->Call({"SMISMEMBER", "s1", "a", "z", "c"}), Arr({Int(1), Int(0), Int(1)}));
  EXPECT_EQ(c_->Call({"SMISMEMBER", "nokey", "a", "b"}), Arr({Int(0), Int(0)}));
  EXPECT_EQ(c_->Call({"SMISMEMBER", "str", "a"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"SMISMEMBER", "s1"}), Err("ERR wrong number of arguments for 'smismember' command"));
}

TEST_F(SetsTest, SMove) {
  EXPECT_EQ(c_->Call({"SMOVE", "nokey", "str", "a"}), Int(0));  // missing source: 0 before any type check
  EXPECT_EQ(c_->Call({"SMOVE", "s1", "str", "a"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"SMOVE", "str", "s1", "a"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"SMOVE", "s1", "s1", "a"}), Int(1));  // same key: a membership test
  EXPECT_EQ(c_->Call({"SMOVE", "s1", "s1", "z"}), Int(0));
  EXPECT_EQ(c_->Call({"SMOVE", "s1", "new", "z"}), Int(0));
  EXPECT_EQ(c_->Call({"EXISTS", "new"}), Int(0));
  EXPECT_EQ(c_->Call({"SMOVE", "s1", "new", "a"}), Int(1));
  EXPECT_EQ(c_->Call({"SMEMBERS", "new"}), Bulks({"a"}));
  EXPECT_EQ(c_->Call({"SMOVE", "s1", "s2", "b"}), Int(1));  // already in s2: just leaves s1
  EXPECT_EQ(Sorted(c_->Call({"SMEMBERS", "s2"})), Bulks({"b", "c", "d"}));
  EXPECT_EQ(c_->Call({"SMOVE", "s1", "s2", "c"}), Int(1));
  EXPECT_EQ(c_->Call({"EXISTS", "s1"}), Int(0));  // emptied source deleted
  EXPECT_EQ(c_->Call({"SMOVE", "s1", "s2"}), Err("ERR wrong number of arguments for 'smove' command"));
}

TEST_F(SetsTest, Resp3AlgebraRepliesAreSets) {
  c_->set_resp(3);
  EXPECT_EQ(Sorted(c_->Call({"SINTER", "s1", "s2"})), Reply::Set({Bulk("b"), Bulk("c")}));
  EXPECT_EQ(c_->Call({"SINTER", "s1", "nokey"}), Reply::Set({}));
  EXPECT_EQ(c_->Call({"SUNION", "nokey"}), Reply::Set({}));
  EXPECT_EQ(c_->Call({"SDIFF", "s1", "s2"}), Reply::Set({Bulk("a")}));
  EXPECT_EQ(c_->Call({"SMISMEMBER", "s1", "a", "z"}), Arr({Int(1), Int(0)}));
  EXPECT_EQ(c_->Call({"SINTERCARD", "1", "s1"}), Int(3));
  EXPECT_EQ(c_->Call({"SDIFFSTORE", "d", "s1", "s2"}), Int(1));
  EXPECT_EQ(c2_->Call({"SDIFF", "s1", "s2"}), Bulks({"a"}));  // the other session speaks RESP2
}

// T20: a non-empty *STORE touches its destination even when the content is
// the same (setKey); an emptying one touches it when it existed; SMOVE
// touches the source and, if the member was new there, the destination.
TEST_F(SetsWatch, T20_StoreAndSMoveTouch) {
  c_->Call({"SADD", "k", "a"});
  EXPECT_FALSE(WatchedExecRuns("k", {{"SUNIONSTORE", "k", "k"}}));
  EXPECT_FALSE(WatchedExecRuns("k", {{"SINTERSTORE", "k", "k", "k"}}));
  c_->Call({"SADD", "s", "a"});
  EXPECT_FALSE(WatchedExecRuns("d", {{"SINTERSTORE", "d", "s"}}));  // created
  EXPECT_FALSE(WatchedExecRuns("d", {{"SDIFFSTORE", "d", "s", "s"}}));  // deleted
  c_->Call({"SET", "str", "1"});
  EXPECT_FALSE(WatchedExecRuns("str", {{"SUNIONSTORE", "str", "nokey"}}));  // another type deleted
  EXPECT_FALSE(WatchedExecRuns("s", {{"SMOVE", "s", "t", "a"}}));
  EXPECT_FALSE(WatchedExecRuns("s", {{"SMOVE", "t", "s", "a"}}));
}

// T21: an empty *STORE into a missing key, SMOVE of an absent member, onto
// its own set, or (for the destination) of a member it already holds, and
// the read-only commands change nothing and touch nothing.
TEST_F(SetsWatch, T21_NoOpsDoNotTouch) {
  EXPECT_TRUE(WatchedExecRuns("d", {{"SINTERSTORE", "d", "nokey"}, {"SDIFFSTORE", "d", "d"}, {"SUNIONSTORE", "d", "nokey"}}));
  c_->Call({"SADD", "k", "a"});
  c_->Call({"SADD", "s", "a", "b"});
  EXPECT_TRUE(WatchedExecRuns("k", {{"SMOVE", "k", "s", "z"}, {"SMOVE", "k", "k", "a"}, {"SMOVE", "nokey", "k", "a"}}));
  EXPECT_TRUE(WatchedExecRuns("k", {{"SMOVE", "s", "k", "a"}}));  // k already holds a
  EXPECT_TRUE(WatchedExecRuns("k", {{"SINTER", "k", "s"}, {"SUNION", "k"}, {"SDIFF", "k"}, {"SINTERCARD", "1", "k"},
                             {"SMISMEMBER", "k", "a"}}));
  c_->Call({"SET", "str", "1"});
  EXPECT_TRUE(WatchedExecRuns("k", {{"SINTERSTORE", "k", "nokey", "str"}}));  // an error changes nothing
}

}  // namespace
}  // namespace txlab::testing
