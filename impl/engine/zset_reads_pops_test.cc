// ZMSCORE ZCOUNT ZRANK ZREVRANK ZREVRANGE ZPOPMIN ZPOPMAX: exact replies and
// errors as redis-server 7.0.15 gives them, RESP3 shapes, and touches (T20,
// T21).
#include <gtest/gtest.h>

#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

class ZSetsMore : public EngineTest {
 protected:
  ZSetsMore() {
    c_->Call({"ZADD", "z", "1", "a", "2", "b", "3", "c", "1.5", "d"});
    c_->Call({"SET", "str", "x"});
  }
};

TEST_F(ZSetsMore, ZMScore) {
  EXPECT_EQ(c_->Call({"ZMSCORE", "z", "a", "q", "d"}), Arr({Bulk("1"), Nil(), Bulk("1.5")}));
  EXPECT_EQ(c_->Call({"ZMSCORE", "nokey", "a"}), Arr({Nil()}));
  EXPECT_EQ(c_->Call({"ZMSCORE", "str", "a"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"ZMSCORE", "z"}), Err("ERR wrong number of arguments for 'zmscore' command"));
}

TEST_F(ZSetsMore, ZCount) {
  EXPECT_EQ(c_->Call({"ZCOUNT", "z", "-inf", "+inf"}), Int(4));
  EXPECT_EQ(c_->Call({"ZCOUNT", "z", "(1", "3"}), Int(3));
  EXPECT_EQ(c_->Call({"ZCOUNT", "z", "1", "(2"}), Int(2));
  EXPECT_EQ(c_->Call({"ZCOUNT", "z", "3", "1"}), Int(0));
  EXPECT_EQ(c_->Call({"ZCOUNT", "nokey", "0", "1"}), Int(0));
  EXPECT_EQ(c_->Call({"ZCOUNT", "str", "0", "1"}), Err(kWrongType));
  // The range is parsed before the key is looked up.
  EXPECT_EQ(c_->Call({"ZCOUNT", "str", "x", "1"}), Err("ERR min or max is not a float"));
  EXPECT_EQ(c_->Call({"ZCOUNT", "nokey", "0", "x"}), Err("ERR min or max is not a float"));
}

TEST_F(ZSetsMore, ZRankAndZRevRank) {
  EXPECT_EQ(c_->Call({"ZRANK", "z", "a"}), Int(0));
  EXPECT_EQ(c_->Call({"ZRANK", "z", "c"}), Int(3));
  EXPECT_EQ(c_->Call({"ZREVRANK", "z", "c"}), Int(0));
  EXPECT_EQ(c_->Call({"ZREVRANK", "z", "d"}), Int(2));
  EXPECT_EQ(c_->Call({"ZRANK", "z", "q"}), Nil());
  EXPECT_EQ(c_->Call({"ZREVRANK", "nokey", "q"}), Nil());
  EXPECT_EQ(c_->Call({"ZRANK", "str", "a"}), Err(kWrongType));
  // 7.0 has no WITHSCORE (7.2 added it).
  EXPECT_EQ(c_->Call({"ZRANK", "z", "c", "WITHSCORE"}), Err("ERR wrong number of arguments for 'zrank' command"));
}

TEST_F(ZSetsMore, ZRevRange) {
  EXPECT_EQ(c_->Call({"ZREVRANGE", "z", "0", "-1"}), Bulks({"c", "b", "d", "a"}));
  EXPECT_EQ(c_->Call({"ZREVRANGE", "z", "0", "1", "withscores"}), Bulks({"c", "3", "b", "2"}));
  EXPECT_EQ(c_->Call({"ZREVRANGE", "z", "-2", "-1"}), Bulks({"d", "a"}));
  EXPECT_EQ(c_->Call({"ZREVRANGE", "z", "5", "10"}), Arr({}));
  EXPECT_EQ(c_->Call({"ZREVRANGE", "z", "0", "1", "REV"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"ZREVRANGE", "z", "0", "1", "BYSCORE"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1"}),
            Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
  EXPECT_EQ(c_->Call({"ZREVRANGE", "nokey", "x", "1"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"ZREVRANGE", "str", "0", "1"}), Err(kWrongType));
}

TEST_F(ZSetsMore, ZPopMinMax) {
  EXPECT_EQ(c_->Call({"ZPOPMIN", "z"}), Bulks({"a", "1"}));
  EXPECT_EQ(c_->Call({"ZPOPMAX", "z", "2"}), Bulks({"c", "3", "b", "2"}));
  EXPECT_EQ(c_->Call({"ZPOPMIN", "z", "0"}), Arr({}));
  EXPECT_EQ(c_->Call({"ZPOPMIN", "z", "10"}), Bulks({"d", "1.5"}));
  EXPECT_EQ(c_->Call({"EXISTS", "z"}), Int(0));  // emptied: deleted
  EXPECT_EQ(c_->Call({"ZPOPMIN", "nokey"}), Arr({}));
  EXPECT_EQ(c_->Call({"ZPOPMAX", "nokey", "3"}), Arr({}));
  EXPECT_EQ(c_->Call({"ZPOPMIN", "str"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"ZPOPMIN", "str", "0"}), Err(kWrongType));  // the key before count 0
  // The count is parsed first; junk and negatives get the same message.
  EXPECT_EQ(c_->Call({"ZPOPMIN", "str", "x"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(c_->Call({"ZPOPMAX", "nokey", "-1"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(c_->Call({"ZPOPMIN", "z", "1", "2"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"ZPOPMIN"}), Err("ERR wrong number of arguments for 'zpopmin' command"));
}

// RESP3: scores are doubles; ZMSCORE's misses nulls; ZREVRANGE WITHSCORES
// and ZPOPMIN/ZPOPMAX *with a count* are [member, score] pairs, without a
// count a flat [member, score].
TEST_F(ZSetsMore, Resp3Shapes) {
  c_->set_resp(3);
  EXPECT_EQ(c_->Call({"ZMSCORE", "z", "a", "q"}), Arr({Reply::Double(1), Nil()}));
  EXPECT_EQ(c_->Call({"ZREVRANGE", "z", "0", "1", "WITHSCORES"}),
            Arr({Arr({Bulk("c"), Reply::Double(3)}), Arr({Bulk("b"), Reply::Double(2)})}));
  EXPECT_EQ(c_->Call({"ZPOPMIN", "z"}), Arr({Bulk("a"), Reply::Double(1)}));
  EXPECT_EQ(c_->Call({"ZPOPMAX", "z", "1"}), Arr({Arr({Bulk("c"), Reply::Double(3)})}));
  EXPECT_EQ(c_->Call({"ZPOPMIN", "z", "0"}), Arr({}));
  EXPECT_EQ(c_->Call({"ZPOPMIN", "nokey", "2"}), Arr({}));
  EXPECT_EQ(c2_->Call({"ZPOPMIN", "z"}), Bulks({"d", "1.5"}));  // the other session speaks RESP2
}

using ZSetsWatch = EngineTest;  // WatchedExecRuns (engine_test_util.h)

TEST_F(ZSetsWatch, T20_PopTouches) {
  c_->Call({"ZADD", "k", "1", "a", "2", "b"});
  EXPECT_FALSE(WatchedExecRuns("k", {{"ZPOPMIN", "k"}}));
  EXPECT_FALSE(WatchedExecRuns("k", {{"ZPOPMAX", "k", "5"}}));  // pops the last: deleted
  EXPECT_EQ(c_->Call({"EXISTS", "k"}), Int(0));
}

TEST_F(ZSetsWatch, T21_ReadsAndEmptyPopsDoNotTouch) {
  EXPECT_TRUE(WatchedExecRuns("k", {{"ZPOPMIN", "k"}, {"ZPOPMAX", "k", "2"}}));  // missing key
  c_->Call({"ZADD", "k", "1", "a"});
  EXPECT_TRUE(WatchedExecRuns("k", {{"ZPOPMIN", "k", "0"}, {"ZPOPMAX", "k", "-1"}, {"ZMSCORE", "k", "a"}, {"ZCOUNT", "k", "0", "1"},
                        {"ZRANK", "k", "a"}, {"ZREVRANK", "k", "a"}, {"ZREVRANGE", "k", "0", "-1"}}));
}

}  // namespace
}  // namespace txlab::testing
