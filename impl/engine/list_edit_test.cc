// LPOS LINSERT LSET LTRIM: exact replies and errors as redis-server 7.0.15
// gives them, and touches (T20, T21).
#include <gtest/gtest.h>

#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

class ListsMore : public EngineTest {
 protected:
  ListsMore() {
    c_->Call({"RPUSH", "l", "a", "b", "c", "a", "b", "a"});
    c_->Call({"SET", "str", "x"});
  }
};

constexpr const char* kRankZero =
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start "
    "from the end of the list";

TEST_F(ListsMore, LPos) {
  EXPECT_EQ(c_->Call({"LPOS", "l", "a"}), Int(0));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "RANK", "2"}), Int(3));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "RANK", "-1"}), Int(5));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "RANK", "4"}), Nil());
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "COUNT", "0"}), Arr({Int(0), Int(3), Int(5)}));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "COUNT", "2"}), Arr({Int(0), Int(3)}));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "RANK", "-2", "COUNT", "0"}), Arr({Int(3), Int(0)}));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "RANK", "3", "COUNT", "5"}), Arr({Int(5)}));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "MAXLEN", "1", "COUNT", "0"}), Arr({Int(0)}));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "MAXLEN", "2", "RANK", "-1"}), Int(5));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "MAXLEN", "0"}), Int(0));  // 0: no limit
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "COUNT", "1", "COUNT", "0"}), Arr({Int(0), Int(3), Int(5)}));
  // RANK INT64_MIN stays negative when Redis negates it: from the tail, COUNT ignored.
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "RANK", "-9223372036854775808"}), Int(5));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "1"}), Arr({Int(5), Int(3), Int(0)}));
  EXPECT_EQ(c_->Call({"LPOS", "l", "q"}), Nil());
  EXPECT_EQ(c_->Call({"LPOS", "l", "q", "COUNT", "0"}), Arr({}));
  EXPECT_EQ(c_->Call({"LPOS", "nokey", "a"}), Nil());
  EXPECT_EQ(c_->Call({"LPOS", "nokey", "a", "COUNT", "2"}), Arr({}));
  EXPECT_EQ(c_->Call({"LPOS", "str", "a"}), Err(kWrongType));
  // Options are parsed before the key is looked up.
  EXPECT_EQ(c_->Call({"LPOS", "str", "a", "RANK", "0"}), Err(kRankZero));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "RANK", "1", "RANK", "0"}), Err(kRankZero));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "RANK", "x"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "COUNT", "-1"}), Err("ERR COUNT can't be negative"));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "COUNT", "x"}), Err("ERR COUNT can't be negative"));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "MAXLEN", "-1"}), Err("ERR MAXLEN can't be negative"));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "RANK"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"LPOS", "l", "a", "foo", "1"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"LPOS", "l"}), Err("ERR wrong number of arguments for 'lpos' command"));
}

TEST_F(ListsMore, LInsert) {
  EXPECT_EQ(c_->Call({"LINSERT", "l", "BEFORE", "b", "X"}), Int(7));
  EXPECT_EQ(c_->Call({"LINSERT", "l", "after", "a", "Y"}), Int(8));  // the first pivot from the head
  EXPECT_EQ(c_->Call({"LRANGE", "l", "0", "-1"}), Bulks({"a", "Y", "X", "b", "c", "a", "b", "a"}));
  EXPECT_EQ(c_->Call({"LINSERT", "l", "AFTER", "q", "X"}), Int(-1));
  EXPECT_EQ(c_->Call({"LINSERT", "nokey", "BEFORE", "a", "X"}), Int(0));
  EXPECT_EQ(c_->Call({"EXISTS", "nokey"}), Int(0));
  EXPECT_EQ(c_->Call({"LINSERT", "str", "BEFORE", "a", "X"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"LINSERT", "str", "MIDDLE", "a", "X"}), Err(kSyntax));  // checked before the key
  EXPECT_EQ(c_->Call({"LINSERT", "l", "BEFORE", "a"}), Err("ERR wrong number of arguments for 'linsert' command"));
}

TEST_F(ListsMore, LSet) {
  EXPECT_EQ(c_->Call({"LSET", "l", "0", "Z"}), Ok());
  EXPECT_EQ(c_->Call({"LSET", "l", "-1", "Y"}), Ok());
  EXPECT_EQ(c_->Call({"LRANGE", "l", "0", "-1"}), Bulks({"Z", "b", "c", "a", "b", "Y"}));
  EXPECT_EQ(c_->Call({"LSET", "l", "6", "Z"}), Err("ERR index out of range"));
  EXPECT_EQ(c_->Call({"LSET", "l", "-7", "Z"}), Err("ERR index out of range"));
  EXPECT_EQ(c_->Call({"LSET", "l", "x", "Z"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"LSET", "nokey", "x", "Z"}), Err("ERR no such key"));  // the key before the index
  EXPECT_EQ(c_->Call({"LSET", "str", "x", "Z"}), Err(kWrongType));
}

TEST_F(ListsMore, LTrim) {
  EXPECT_EQ(c_->Call({"LTRIM", "l", "1", "-2"}), Ok());
  EXPECT_EQ(c_->Call({"LRANGE", "l", "0", "-1"}), Bulks({"b", "c", "a", "b"}));
  EXPECT_EQ(c_->Call({"LTRIM", "l", "-100", "100"}), Ok());
  EXPECT_EQ(c_->Call({"LLEN", "l"}), Int(4));
  EXPECT_EQ(c_->Call({"LTRIM", "l", "5", "1"}), Ok());
  EXPECT_EQ(c_->Call({"EXISTS", "l"}), Int(0));  // emptied: deleted
  EXPECT_EQ(c_->Call({"LTRIM", "nokey", "0", "1"}), Ok());
  EXPECT_EQ(c_->Call({"LTRIM", "str", "0", "1"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"LTRIM", "str", "x", "1"}), Err(kNotInt));  // indexes before the key
}

using ListsWatch = EngineTest;  // WatchedExecRuns (engine_test_util.h)

// T20: LSET of the same value and LTRIM that removes nothing still touch
// (Redis signals unconditionally); LINSERT with its pivot touches.
TEST_F(ListsWatch, T20_EditsTouch) {
  c_->Call({"RPUSH", "k", "a", "b"});
  EXPECT_FALSE(WatchedExecRuns("k", {{"LSET", "k", "0", "a"}}));
  EXPECT_FALSE(WatchedExecRuns("k", {{"LTRIM", "k", "0", "-1"}}));
  EXPECT_FALSE(WatchedExecRuns("k", {{"LINSERT", "k", "BEFORE", "a", "z"}}));
}

// T21: LINSERT without its pivot, edits of a missing key, failed edits and
// LPOS change nothing and touch nothing.
TEST_F(ListsWatch, T21_NoOpsDoNotTouch) {
  EXPECT_TRUE(WatchedExecRuns("k", {{"LTRIM", "k", "0", "1"}, {"LINSERT", "k", "BEFORE", "a", "z"}, {"LSET", "k", "0", "a"}}));
  c_->Call({"RPUSH", "k", "a", "b"});
  EXPECT_TRUE(WatchedExecRuns("k", {{"LINSERT", "k", "BEFORE", "q", "z"}, {"LSET", "k", "5", "a"}, {"LSET", "k", "x", "a"},
                        {"LTRIM", "k", "x", "1"}, {"LPOS", "k", "a"}}));
}

}  // namespace
}  // namespace txlab::testing
