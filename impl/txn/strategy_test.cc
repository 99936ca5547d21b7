// Each strategy against the embedded engine, one client at a time: the
// commands work, results come back right, refusals and NOSCRIPT are handled.
#include <gtest/gtest.h>

#include "impl/engine/engine.h"
#include "impl/txn/embedded_connection.h"
#include "impl/txn/script.h"
#include "impl/txn/strategy.h"

namespace txlab {
namespace {

MicroOp Op(MicroOp::Kind k, std::string key, int64_t v = 0, std::string key2 = {}) {
  return MicroOp{k, std::move(key), std::move(key2), v};
}

class StrategyTest : public ::testing::TestWithParam<std::string> {
 protected:
  StrategyTest() : engine_(Options()), conn_(engine_) {}
  static EngineOptions Options() {
    EngineOptions o;
    o.active_expire = false;
    return o;
  }
  Outcome Run(const Txn& t) {
    auto s = MakeStrategy(GetParam(), StrategyOptions{}, 1, 7);
    return RunSync(s->Run(conn_, t));
  }
  Engine engine_;
  EmbeddedConnection conn_;
};

TEST_P(StrategyTest, TransferThenRead) {
  conn_.session().Call({"MSET", "a", "10", "b", "5"});
  Txn t;
  t.ops = {Op(MicroOp::Kind::kTransfer, "a", 4, "b")};
  Outcome o = Run(t);
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << AbortReasonName(o.reason) << " " << o.detail;
  Txn r;
  r.ops = {Op(MicroOp::Kind::kRead, "a"), Op(MicroOp::Kind::kRead, "b"), Op(MicroOp::Kind::kRead, "missing")};
  o = Run(r);
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << o.detail;
  ASSERT_EQ(o.result.ops.size(), 3u);
  EXPECT_EQ(o.result.ops[0].value, 6);
  EXPECT_EQ(o.result.ops[1].value, 9);
  EXPECT_FALSE(o.result.ops[2].value.has_value());
}

TEST_P(StrategyTest, OverdraftIsRefusedAndWritesNothing) {
  conn_.session().Call({"MSET", "a", "3", "b", "5"});
  Txn t;
  t.ops = {Op(MicroOp::Kind::kTransfer, "a", 4, "b")};
  Outcome o = Run(t);
  EXPECT_EQ(o.kind, Outcome::Kind::kFail);
  EXPECT_EQ(o.reason, AbortReason::kInsufficientFunds) << o.detail;
  EXPECT_EQ(conn_.session().Call({"GET", "a"}), Reply::Bulk("3"));
  EXPECT_EQ(conn_.session().Call({"EXISTS", "lock:{a}"}), Reply::Integer(0));
}

TEST_P(StrategyTest, ListAppendSeesOwnWrites) {
  conn_.session().Call({"RPUSH", "l", "1"});
  Txn t;
  t.ops = {Op(MicroOp::Kind::kAppend, "l", 2), Op(MicroOp::Kind::kReadList, "l"),
           Op(MicroOp::Kind::kWrite, "x", 9), Op(MicroOp::Kind::kRead, "x"), Op(MicroOp::Kind::kIncr, "c", 5)};
  Outcome o = Run(t);
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << AbortReasonName(o.reason) << " " << o.detail;
  EXPECT_EQ(o.result.ops[1].list, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(o.result.ops[3].value, 9);
  EXPECT_EQ(o.result.ops[4].value, 5);
  EXPECT_EQ(conn_.session().Call({"LRANGE", "l", "0", "-1"}),
            Reply::Array({Reply::Bulk("1"), Reply::Bulk("2")}));
  EXPECT_EQ(conn_.session().Call({"GET", "c"}), Reply::Bulk("5"));
  // Locks are released, nothing is left in MULTI.
  EXPECT_EQ(conn_.session().Call({"EXISTS", "lock:{l}", "lock:{x}", "lock:{c}"}), Reply::Integer(0));
  EXPECT_FALSE(conn_.session().in_multi());
}

TEST_P(StrategyTest, SurvivesScriptFlush) {
  conn_.session().Call({"SET", "a", "1"});
  Txn t;
  t.ops = {Op(MicroOp::Kind::kIncr, "a", 1)};
  ASSERT_EQ(Run(t).kind, Outcome::Kind::kOk);
  conn_.session().Call({"SCRIPT", "FLUSH"});
  Outcome o = Run(t);
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << o.detail;
  EXPECT_EQ(conn_.session().Call({"GET", "a"}), Reply::Bulk("3"));
}

INSTANTIATE_TEST_SUITE_P(All, StrategyTest, ::testing::ValuesIn(StrategyNames()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (c == '-') c = '_';
                           }
                           return n;
                         });

TEST(LockStrategyTest, BusyLockAbortsThenGivesUp) {
  EngineOptions eo;
  eo.active_expire = false;
  Engine engine(eo);
  EmbeddedConnection conn(engine);
  conn.session().Call({"SET", "lock:{a}", "someone-else", "PX", "100000"});
  StrategyOptions so;
  so.max_attempts = 3;
  so.backoff.base_ns = 1000;
  so.backoff.cap_ns = 1000;
  so.lock_wait_tries = 2;
  for (std::string name : {"lock", "lock-wait", "lock-fenced", "lock-2pc"}) {
    auto s = MakeStrategy(name, so, 1, 1);
    Txn t;
    t.ops = {Op(MicroOp::Kind::kIncr, "a", 1)};
    Outcome o = RunSync(s->Run(conn, t));
    EXPECT_EQ(o.kind, Outcome::Kind::kFail) << name;
    EXPECT_EQ(o.reason, AbortReason::kGiveUp) << name;
    EXPECT_EQ(o.aborts.Get(AbortReason::kLockBusy), 3u) << name;
    EXPECT_EQ(o.attempts, 3) << name;
  }
}

TEST(FencingTest, StaleTokenIsRefused) {
  EngineOptions eo;
  eo.active_expire = false;
  Engine engine(eo);
  EmbeddedConnection conn(engine);
  Session& s = conn.session();
  // A grant with token 2 has read k: a writer holding token 1 is refused.
  Reply r = s.Call({"EVAL", FencedReadScript().body(), "2", "k", "fence:k", "1", "2", "r"});
  ASSERT_EQ(r.type(), Reply::Type::kArray) << r.ToString();
  r = s.Call({"EVAL", FencedWriteScript().body(), "2", "k", "fence:k", "1", "1", "w", "1", "5"});
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.str().rfind("FENCED stale token 1 < 2", 0), 0u) << r.str();
  EXPECT_TRUE(s.Call({"GET", "k"}).is_nil());
  r = s.Call({"EVAL", FencedWriteScript().body(), "2", "k", "fence:k", "1", "2", "w", "1", "5"});
  EXPECT_EQ(r, Reply::Integer(1));
  EXPECT_EQ(s.Call({"GET", "k"}), Reply::Bulk("5"));
}

TEST(AbortReasonTest, NamesRoundTrip) {
  for (size_t i = 0; i < kAbortReasonCount; ++i) {
    auto r = static_cast<AbortReason>(i);
    EXPECT_EQ(AbortReasonFromName(AbortReasonName(r)), r);
    EXPECT_FALSE(AbortReasonDescription(r).empty());
  }
  EXPECT_FALSE(AbortReasonFromName("nope").has_value());
}

}  // namespace
}  // namespace txlab
