// lock-2pc and cross-slot behaviour, one scripted interleaving at a time, on
// the embedded engine behind a test connection that can claim to be a
// cluster (slot-confined), park a command (a stalled client) or drop every
// command from one on (a crashed client). SEMANTICS §4.3 (cross-shard
// transactions: 2PC, intents as locks) and §5 (leases).
#include <gtest/gtest.h>

#include <functional>

#include "impl/engine/clock.h"
#include "impl/engine/engine.h"
#include "impl/txn/lock_keys.h"
#include "impl/txn/script.h"
#include "impl/txn/slots.h"
#include "impl/txn/strategy.h"

namespace txlab {
namespace {

using Argv = std::vector<std::string>;

// A Connection on its own Session of `engine`. park_when: the first command
// it matches (once) is held (the coroutine suspends) until Resume(), or is never run
// if the client crashes. Sleeps take no time.
class GateConnection final : public Connection {
 public:
  GateConnection(Engine& engine, bool confined) : session_(engine.Connect()), confined_(confined) {}

  std::function<bool(const Argv&)> park_when;

  int64_t NowNs() const override { return 0; }
  bool slot_confined() const override { return confined_; }
  bool parked() const { return parked_ != nullptr; }
  // Runs the parked command now and resumes its coroutine.
  void Resume() {
    PendingCall* c = parked_;
    parked_ = nullptr;
    c->reply = session_->Call(c->argv);
    c->waiter.resume();
  }

 protected:
  bool Submit(PendingCall* call) override {
    if (!parked_ && park_when && park_when(call->argv)) {
      parked_ = call;
      park_when = nullptr;  // once
      return false;
    }
    call->reply = session_->Call(call->argv);
    return true;
  }
  bool SubmitSleep(PendingSleep*) override { return true; }

 private:
  std::unique_ptr<Session> session_;
  bool confined_;
  PendingCall* parked_ = nullptr;
};

MicroOp Op(MicroOp::Kind k, std::string key, int64_t v = 0, std::string key2 = {}) {
  return MicroOp{k, std::move(key), std::move(key2), v};
}

Txn Transfer(const std::string& from, const std::string& to, int64_t amount) {
  Txn t;
  t.ops = {Op(MicroOp::Kind::kTransfer, from, amount, to)};
  return t;
}

Txn ReadAll() {
  Txn t;
  t.ops = {Op(MicroOp::Kind::kRead, "a"), Op(MicroOp::Kind::kRead, "b")};
  return t;
}

bool IsDecision(const Argv& argv) { return argv.size() > 1 && argv[0] == "SET" && argv[1].rfind("txn:{", 0) == 0; }
bool IsFinish(const Argv& argv) {
  return argv.size() > 1 && argv[0] == "EVALSHA" && argv[1] == TwoPcFinishScript().sha();
}

class Lock2pcTest : public ::testing::Test {
 protected:
  Lock2pcTest() : engine_(Options(&clock_)), admin_(engine_.Connect()) {
    admin_->Call({"SET", "a", "10"});
    admin_->Call({"SET", "b", "5"});
  }
  static EngineOptions Options(VirtualClock* clock) {
    EngineOptions o;
    o.active_expire = false;
    o.clock = clock;
    return o;
  }
  std::unique_ptr<Strategy> Make(const std::string& name, int64_t client) {
    StrategyOptions so;
    so.backoff.base_ns = so.backoff.cap_ns = 1000;
    return MakeStrategy(name, so, 1, client);
  }
  Reply Get(const std::string& k) { return admin_->Call({"GET", k}); }

  VirtualClock clock_;
  Engine engine_;
  std::unique_ptr<Session> admin_;
};

TEST_F(Lock2pcTest, KeysOfTheTestAreInTwoSlots) {
  ASSERT_NE(KeySlot("a"), KeySlot("b"));
  EXPECT_EQ(KeySlot(LockKey("a")), KeySlot("a"));
  EXPECT_EQ(KeySlot(IntentKey("b")), KeySlot("b"));
  EXPECT_EQ(LockKey("{bank}acct:3"), "lock:{bank}acct:3");
  EXPECT_EQ(GroupBySlot({"a", "b", "{a}x"}), (std::vector<std::vector<std::string>>{{"a", "{a}x"}, {"b"}}));
}

// C4-C7: one script or one MULTI cannot span slots. The one-slot strategies
// refuse such a txn (fail, cross-slot) before sending anything; the others
// run it.
TEST_F(Lock2pcTest, OneSlotStrategiesRefuseCrossSlotTxns) {
  for (const std::string& name : StrategyNames()) {
    GateConnection conn(engine_, /*confined=*/true);
    Outcome o = RunSync(Make(name, 1)->Run(conn, Transfer("a", "b", 1)));
    if (StrategyNeedsOneSlot(name)) {
      EXPECT_EQ(o.kind, Outcome::Kind::kFail) << name;
      EXPECT_EQ(o.reason, AbortReason::kCrossSlot) << name;
      EXPECT_NE(o.detail.find("slot"), std::string::npos) << o.detail;
      EXPECT_EQ(conn.commands(), 0u) << name;
    } else {
      EXPECT_EQ(o.kind, Outcome::Kind::kOk) << name << ": " << AbortReasonName(o.reason) << " " << o.detail;
    }
  }
  // Hash-tagged keys share a slot: they run.
  admin_->Call({"SET", "{t}a", "10"});
  GateConnection conn(engine_, true);
  EXPECT_EQ(RunSync(Make("lua", 1)->Run(conn, Transfer("{t}a", "{t}b", 1))).kind, Outcome::Kind::kOk);
}

// The gap 2PC closes: `lock` on a cluster writes one slot at a time, so a
// client that dies between its two slots leaves half a transfer behind
// (the bank invariant breaks: 10 + 5 becomes 6 + 5).
TEST_F(Lock2pcTest, LockCrashingBetweenSlotsLeavesHalfATransfer) {
  {
    GateConnection conn(engine_, true);
    int data_writes = 0;
    conn.park_when = [&](const Argv& argv) {
      return argv[0] == "SET" && argv[1].rfind("lock:", 0) != 0 && ++data_writes == 2;
    };
    std::unique_ptr<Strategy> s = Make("lock", 1);
    const Txn txn = Transfer("a", "b", 4);
    Task<Outcome> t = s->Run(conn, txn);
    t.Start();
    ASSERT_TRUE(conn.parked());
  }  // crashed: the task and its connection are gone
  EXPECT_EQ(Get("a"), Reply::Bulk("6"));
  EXPECT_EQ(Get("b"), Reply::Bulk("5"));
}

// A coordinator that crashes after its commit record: the next txn to lock
// the keys rolls the intents forward (the transfer happened).
TEST_F(Lock2pcTest, CrashAfterDecisionIsRolledForward) {
  {
    GateConnection conn(engine_, true);
    conn.park_when = IsFinish;
    std::unique_ptr<Strategy> s = Make("lock-2pc", 1);
    const Txn txn = Transfer("a", "b", 4);
    Task<Outcome> t = s->Run(conn, txn);
    t.Start();
    ASSERT_TRUE(conn.parked());
  }
  // Intents and the commit record are there, the data is not written yet:
  // a reader that ignored intents would see the transfer undone.
  EXPECT_EQ(Get("a"), Reply::Bulk("10"));
  EXPECT_FALSE(Get(IntentKey("a")).is_nil());
  clock_.AdvanceMs(500);  // the crashed client's leases expire
  GateConnection reader(engine_, true);
  Outcome o = RunSync(Make("lock-2pc", 2)->Run(reader, ReadAll()));
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << AbortReasonName(o.reason) << " " << o.detail;
  EXPECT_EQ(o.result.ops[0].value, 6);
  EXPECT_EQ(o.result.ops[1].value, 9);
  EXPECT_EQ(o.aborts.Get(AbortReason::kIntentResolved), 2u);  // one per participant slot
  EXPECT_EQ(Get("a"), Reply::Bulk("6"));
  EXPECT_TRUE(Get(IntentKey("a")).is_nil());
  EXPECT_TRUE(Get(IntentKey("b")).is_nil());
}

// A coordinator that crashes before its commit record: the next txn aborts
// it (writes "a" into its record) and drops the intents.
TEST_F(Lock2pcTest, CrashBeforeDecisionIsDiscarded) {
  std::string record;
  {
    GateConnection conn(engine_, true);
    conn.park_when = [&](const Argv& argv) {
      if (IsDecision(argv)) record = argv[1];
      return IsDecision(argv);
    };
    std::unique_ptr<Strategy> s = Make("lock-2pc", 1);
    const Txn txn = Transfer("a", "b", 4);
    Task<Outcome> t = s->Run(conn, txn);
    t.Start();
    ASSERT_TRUE(conn.parked());
  }
  clock_.AdvanceMs(500);
  GateConnection reader(engine_, true);
  Outcome o = RunSync(Make("lock-2pc", 2)->Run(reader, ReadAll()));
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << o.detail;
  EXPECT_EQ(o.result.ops[0].value, 10);
  EXPECT_EQ(o.result.ops[1].value, 5);
  EXPECT_EQ(Get(record), Reply::Bulk("a"));
  EXPECT_TRUE(Get(IntentKey("a")).is_nil());
}

// A coordinator stalled past its leases just before its commit record
// (Kleppmann's pause, SEMANTICS §5.2): another client aborts it and commits
// its own transfer; when the stalled one wakes, its commit NX fails, it
// drops its intents and retries. Both transfers apply exactly once.
TEST_F(Lock2pcTest, StalledCoordinatorIsPreemptedAndRetries) {
  GateConnection slow(engine_, true);
  slow.park_when = IsDecision;
  std::unique_ptr<Strategy> s = Make("lock-2pc", 1);
  const Txn txn = Transfer("a", "b", 4);
  Task<Outcome> t = s->Run(slow, txn);
  t.Start();
  ASSERT_TRUE(slow.parked());
  clock_.AdvanceMs(500);
  GateConnection fast(engine_, true);
  Outcome other = RunSync(Make("lock-2pc", 2)->Run(fast, Transfer("b", "a", 1)));
  ASSERT_EQ(other.kind, Outcome::Kind::kOk) << other.detail;
  EXPECT_EQ(other.aborts.Get(AbortReason::kIntentResolved), 2u);
  slow.Resume();
  ASSERT_TRUE(t.done());
  Outcome o = t.Result();
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << AbortReasonName(o.reason) << " " << o.detail;
  EXPECT_EQ(o.aborts.Get(AbortReason::kCommitPreempted), 1u);
  EXPECT_EQ(o.attempts, 2);
  EXPECT_EQ(Get("a"), Reply::Bulk("7"));
  EXPECT_EQ(Get("b"), Reply::Bulk("8"));
}

// A lease that lapsed before prepare: the prepare is refused, nothing is
// written, the attempt is retried.
TEST_F(Lock2pcTest, LapsedLeaseRefusesPrepare) {
  GateConnection slow(engine_, true);
  slow.park_when = [](const Argv& argv) {
    return argv.size() > 1 && argv[0] == "EVALSHA" && argv[1] == TwoPcPrepareScript().sha();
  };
  std::unique_ptr<Strategy> s = Make("lock-2pc", 1);
  const Txn txn = Transfer("a", "b", 4);
  Task<Outcome> t = s->Run(slow, txn);
  t.Start();
  ASSERT_TRUE(slow.parked());
  clock_.AdvanceMs(500);
  GateConnection fast(engine_, true);
  ASSERT_EQ(RunSync(Make("lock-2pc", 2)->Run(fast, Transfer("a", "b", 2))).kind, Outcome::Kind::kOk);
  slow.Resume();
  ASSERT_TRUE(t.done());
  Outcome o = t.Result();
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << o.detail;
  EXPECT_EQ(o.aborts.Get(AbortReason::kPrepareRefused), 1u);
  EXPECT_EQ(Get("a"), Reply::Bulk("4"));
  EXPECT_EQ(Get("b"), Reply::Bulk("11"));
}

}  // namespace
}  // namespace txlab
