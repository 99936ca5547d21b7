// lock-2pc and cross-slot behaviour, one scripted interleaving at a time, on
// the embedded engine behind a test connection that can claim to be a
// cluster (slot-confined), park a command (a stalled client) or drop every
// command from one on (a crashed client). SEMANTICS §4.3 (cross-shard
// transactions: 2PC, intents as locks) and §5 (leases).
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <optional>
#include <set>

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
  // The parked command runs before the client parks (its reply is lost):
  // with a crash, a crash after the server applied it.
  bool apply_parked = false;

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
      if (apply_parked) session_->Call(call->argv);
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

// The commit point: the home participant's prepare script in mode 'h'
// (EVALSHA sha numkeys keys... iid mode ...).
bool IsCommit(const Argv& argv) {
  if (argv.size() < 3 || argv[0] != "EVALSHA" || argv[1] != TwoPcPrepareScript().sha()) return false;
  const size_t mode = 3 + std::stoul(argv[2]) + 1;
  return mode < argv.size() && argv[mode] == "h";
}
bool IsFinish(const Argv& argv) {
  return argv.size() > 1 && argv[0] == "EVALSHA" && argv[1] == TwoPcFinishScript().sha();
}

// An engine on a virtual clock, without background expiry.
EngineOptions TestEngineOptions(VirtualClock* clock) {
  EngineOptions o;
  o.active_expire = false;
  o.clock = clock;
  return o;
}

class Lock2pcTest : public ::testing::Test {
 protected:
  Lock2pcTest() : engine_(TestEngineOptions(&clock_)), admin_(engine_.Connect()) {
    admin_->Call({"SET", "a", "10"});
    admin_->Call({"SET", "b", "5"});
  }
  std::unique_ptr<Strategy> Make(const std::string& name, int64_t client) {
    StrategyOptions so;
    so.backoff.base_ns = so.backoff.cap_ns = 1000;
    return MakeStrategy(name, so, 1, client);
  }
  Reply Get(const std::string& k) { return admin_->Call({"GET", k}); }
  size_t Count(const std::string& pattern) {
    const Reply keys = admin_->Call({"KEYS", pattern});
    return keys.elems().size();
  }
  // Neither a decision record nor an intent is left.
  void ExpectNoRecordOrIntent() {
    EXPECT_EQ(Count("txn:*"), 0u);
    EXPECT_EQ(Count("intent:*"), 0u);
  }

  // Client 1's `strategy` transfer a -> b of 4 on its own connection, held at
  // the first command `park_when` matches: a stall until Resume(), or a
  // crash when it is destroyed parked.
  struct Parked {
    Parked(Lock2pcTest& t, const std::string& strategy, std::function<bool(const Argv&)> park_when)
        : conn(t.engine_, true), s(t.Make(strategy, 1)), txn(Transfer("a", "b", 4)) {
      conn.park_when = std::move(park_when);
      task = s->Run(conn, txn);
      task.Start();
    }
    // Lets it go on; it must then finish (no other party holds it back).
    Outcome Resume() {
      conn.Resume();
      EXPECT_TRUE(task.done());
      return task.done() ? task.Result() : Outcome{};
    }
    GateConnection conn;
    std::unique_ptr<Strategy> s;
    Txn txn;
    Task<Outcome> task;
  };

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

// An intent names its txn in one word whatever bytes the home key holds,
// and the txn's decision record lands in the home key's slot (C2).
TEST_F(Lock2pcTest, IntentIdsNameTheRecordInTheHomeSlot) {
  for (const std::string home : {"a", "acct:3", "{bank}acct:3", "with space@and\xff", "x{y}z"}) {
    const std::string iid = IntentId("7:42:3", home);
    EXPECT_EQ(iid.find(' '), std::string::npos) << home;
    std::string txid, back;
    ASSERT_TRUE(ParseIntentId(iid, &txid, &back)) << home;
    EXPECT_EQ(txid, "7:42:3");
    EXPECT_EQ(back, home);
    EXPECT_EQ(KeySlot(DecisionKey(txid, home)), KeySlot(home)) << home;
    EXPECT_EQ(KeySlot(DecisionKey(txid, home)), KeySlot(LockKey(home))) << home;
  }
  std::string txid, home;
  EXPECT_FALSE(ParseIntentId("7:42:3", &txid, &home));
  EXPECT_FALSE(ParseIntentId("7:42:3@6", &txid, &home));
  EXPECT_FALSE(ParseIntentId("7:42:3@zz", &txid, &home));
  EXPECT_FALSE(ParseIntentId("7:42:3@", &txid, &home));
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
    int data_writes = 0;
    Parked coordinator(*this, "lock", [&](const Argv& argv) {
      return argv[0] == "SET" && argv[1].rfind("lock:", 0) != 0 && ++data_writes == 2;
    });
    ASSERT_TRUE(coordinator.conn.parked());
  }  // crashed: the task and its connection are gone
  EXPECT_EQ(Get("a"), Reply::Bulk("6"));
  EXPECT_EQ(Get("b"), Reply::Bulk("5"));
}

// A coordinator that crashes after its commit record: the next txn to lock
// the keys rolls the intents forward (the transfer happened).
TEST_F(Lock2pcTest, CrashAfterDecisionIsRolledForward) {
  {
    Parked coordinator(*this, "lock-2pc", IsFinish);
    ASSERT_TRUE(coordinator.conn.parked());
  }
  // Intents and the commit record are there, the data is not written yet:
  // a reader that ignored intents would see the transfer undone.
  EXPECT_EQ(Get("a"), Reply::Bulk("10"));
  EXPECT_FALSE(Get(IntentKey("a")).is_nil());
  EXPECT_EQ(Count("txn:*"), 1u);
  clock_.AdvanceMs(500);  // the crashed client's leases expire
  GateConnection reader(engine_, true);
  Outcome o = RunSync(Make("lock-2pc", 2)->Run(reader, ReadAll()));
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << AbortReasonName(o.reason) << " " << o.detail;
  EXPECT_EQ(o.result.ops[0].value, 6);
  EXPECT_EQ(o.result.ops[1].value, 9);
  // The first intent met rolls the whole txn forward, both slots.
  EXPECT_EQ(o.aborts.Get(AbortReason::kIntentResolved), 1u);
  EXPECT_EQ(Get("a"), Reply::Bulk("6"));
  EXPECT_TRUE(Get(IntentKey("a")).is_nil());
  EXPECT_TRUE(Get(IntentKey("b")).is_nil());
  EXPECT_EQ(Count("txn:*"), 0u);  // the record went with the last intent
}

// A coordinator that crashes before its commit: the next txn finds no
// record, so the crashed txn is aborted, and drops the intents. Nothing is
// written for the abort.
TEST_F(Lock2pcTest, CrashBeforeDecisionIsDiscarded) {
  {
    Parked coordinator(*this, "lock-2pc", IsCommit);
    ASSERT_TRUE(coordinator.conn.parked());
  }
  clock_.AdvanceMs(500);
  GateConnection reader(engine_, true);
  Outcome o = RunSync(Make("lock-2pc", 2)->Run(reader, ReadAll()));
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << o.detail;
  EXPECT_EQ(o.result.ops[0].value, 10);
  EXPECT_EQ(o.result.ops[1].value, 5);
  EXPECT_EQ(o.aborts.Get(AbortReason::kIntentResolved), 1u);
  ExpectNoRecordOrIntent();
}

// A coordinator stalled past its leases just before its commit record
// (Kleppmann's pause, SEMANTICS §5.2): another client aborts it and commits
// its own transfer (revoking the stalled one's home lease); when the stalled
// one wakes, its commit is refused, it drops its intents and retries. Both
// transfers apply exactly once, and no record is left.
TEST_F(Lock2pcTest, StalledCoordinatorIsPreemptedAndRetries) {
  Parked slow(*this, "lock-2pc", IsCommit);
  ASSERT_TRUE(slow.conn.parked());
  clock_.AdvanceMs(500);
  GateConnection fast(engine_, true);
  Outcome other = RunSync(Make("lock-2pc", 2)->Run(fast, Transfer("b", "a", 1)));
  ASSERT_EQ(other.kind, Outcome::Kind::kOk) << other.detail;
  EXPECT_EQ(other.aborts.Get(AbortReason::kIntentResolved), 1u);
  EXPECT_EQ(Count("txn:*"), 0u);
  Outcome o = slow.Resume();
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << AbortReasonName(o.reason) << " " << o.detail;
  EXPECT_EQ(o.aborts.Get(AbortReason::kCommitPreempted), 1u);
  EXPECT_EQ(o.attempts, 2);
  EXPECT_EQ(Get("a"), Reply::Bulk("7"));
  EXPECT_EQ(Get("b"), Reply::Bulk("8"));
  ExpectNoRecordOrIntent();
}

// A resolver that finds no record while the txn still holds its home lease
// (its lease on the resolver's key lapsed early: a clock jump on that node,
// SEMANTICS §5.3) revokes that lease: the stalled coordinator's commit is
// then refused, so the intent the resolver dropped is never committed
// (without the revocation the coordinator commits b and loses a: half a
// transfer).
TEST_F(Lock2pcTest, ResolverRevokesTheHomeLeaseOfAnUndecidedTxn) {
  Parked slow(*this, "lock-2pc", IsCommit);  // home: b, the last slot it writes
  ASSERT_TRUE(slow.conn.parked());
  admin_->Call({"PEXPIRE", LockKey("a"), "1"});
  clock_.AdvanceMs(2);  // lock:{a} lapsed, lock:{b} is still the coordinator's
  ASSERT_FALSE(Get(LockKey("b")).is_nil());
  GateConnection fast(engine_, true);
  Txn overwrite;
  overwrite.ops = {Op(MicroOp::Kind::kWrite, "a", 100)};
  Outcome other = RunSync(Make("lock-2pc", 2)->Run(fast, overwrite));
  ASSERT_EQ(other.kind, Outcome::Kind::kOk) << other.detail;
  EXPECT_EQ(other.aborts.Get(AbortReason::kIntentResolved), 1u);
  EXPECT_TRUE(Get(LockKey("b")).is_nil());  // revoked
  Outcome o = slow.Resume();
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << o.detail;
  EXPECT_EQ(o.aborts.Get(AbortReason::kCommitPreempted), 1u);
  EXPECT_EQ(Get("a"), Reply::Bulk("96"));
  EXPECT_EQ(Get("b"), Reply::Bulk("9"));
  ExpectNoRecordOrIntent();
}

// A lease that lapsed before prepare: the prepare is refused, nothing is
// written, the attempt is retried.
TEST_F(Lock2pcTest, LapsedLeaseRefusesPrepare) {
  Parked slow(*this, "lock-2pc", [](const Argv& argv) {
    return argv.size() > 1 && argv[0] == "EVALSHA" && argv[1] == TwoPcPrepareScript().sha();
  });
  ASSERT_TRUE(slow.conn.parked());
  clock_.AdvanceMs(500);
  GateConnection fast(engine_, true);
  ASSERT_EQ(RunSync(Make("lock-2pc", 2)->Run(fast, Transfer("a", "b", 2))).kind, Outcome::Kind::kOk);
  Outcome o = slow.Resume();
  ASSERT_EQ(o.kind, Outcome::Kind::kOk) << o.detail;
  EXPECT_EQ(o.aborts.Get(AbortReason::kPrepareRefused), 1u);
  EXPECT_EQ(Get("a"), Reply::Bulk("4"));
  EXPECT_EQ(Get("b"), Reply::Bulk("11"));
}


// ---- Crash anywhere: no record outlives its intents ----

// A fresh engine with a=10, b=5, c=0 (three slots).
struct World {
  VirtualClock clock;
  Engine engine;
  std::unique_ptr<Session> admin;
  World() : engine(TestEngineOptions(&clock)), admin(engine.Connect()) {
    admin->Call({"SET", "a", "10"});
    admin->Call({"SET", "b", "5"});
    admin->Call({"SET", "c", "0"});
  }
  std::vector<std::string> Keys(const std::string& pattern) {
    std::vector<std::string> out;
    const Reply keys = admin->Call({"KEYS", pattern});
    for (const Reply& r : keys.elems()) out.push_back(r.str());
    return out;
  }
  std::optional<int64_t> Int(const std::string& k) {
    Reply r = admin->Call({"GET", k});
    if (r.is_nil()) return std::nullopt;
    return std::stoll(r.str());
  }
};

// Runs `txn` as lock-2pc client `client`; with n > 0 the client crashes at
// its n-th command: before sending it, or (after_apply) once the server
// applied it and before the reply arrives. True if the txn finished first
// (*out is its outcome).
bool RunCrashing(World& w, int64_t client, const Txn& txn, int n, bool after_apply, Outcome* out) {
  GateConnection conn(w.engine, true);
  int count = 0;
  if (n > 0) conn.park_when = [&count, n](const Argv&) { return ++count == n; };
  conn.apply_parked = after_apply;
  StrategyOptions so;
  so.backoff.base_ns = so.backoff.cap_ns = 1000;
  std::unique_ptr<Strategy> s = MakeStrategy("lock-2pc", so, 1, client);
  Task<Outcome> t = s->Run(conn, txn);
  t.Start();
  if (conn.parked()) return false;  // crashed: its frames go with t
  *out = t.Result();
  return true;
}

// Every decision record left is named by an intent of its txn in its slot
// (the record and the home intents live and die together).
void ExpectRecordsNamedByIntents(World& w, const std::string& where) {
  for (const std::string& rec : w.Keys("txn:*")) {
    const std::string txid = rec.substr(rec.find('}') + 1);
    bool named = false;
    for (const std::string& ik : w.Keys("intent:*")) {
      Reply it = w.admin->Call({"GET", ik});
      named |= KeySlot(ik) == KeySlot(rec) && it.str().rfind(txid + "@", 0) == 0;
    }
    EXPECT_TRUE(named) << where << ": record " << rec << " with no intent naming it";
  }
}

// A coordinator writing three slots (a -4, b +4-1, c +1) crashes before or
// after each of its commands in turn; then a second txn (b -> a 1, reads c)
// that meets what it left crashes at each of its commands in turn; then a
// clean reader. After every crash each record left is named by an intent;
// after the reader no record and no intent is left, and the state is that of
// some set of whole txns (SEMANTICS §4.3: atomic across slots).
TEST(Lock2pcCrashTest, NoRecordOutlivesItsIntentsWhereverClientsCrash) {
  ASSERT_NE(KeySlot("a"), KeySlot("c"));
  ASSERT_NE(KeySlot("b"), KeySlot("c"));
  Txn coordinator = Transfer("a", "b", 4);
  coordinator.ops.push_back(Transfer("b", "c", 1).ops[0]);
  Txn resolver = Transfer("b", "a", 1);
  resolver.ops.push_back(Op(MicroOp::Kind::kRead, "c"));
  Txn reader;
  for (const char* k : {"a", "b", "c"}) reader.ops.push_back(Op(MicroOp::Kind::kRead, k));
  // Whole txns only: neither, the coordinator, the resolver, both.
  const std::set<std::vector<int64_t>> serial = {{10, 5, 0}, {6, 8, 1}, {11, 4, 0}, {7, 7, 1}};
  int worlds = 0, with_records = 0;
  // n, m: the command a client crashes at (m = 0: the resolver does not
  // crash); each loop ends at the first crash point past its client's last
  // command.
  bool coordinator_finished = false;
  for (int n = 1; n <= 100 && !coordinator_finished; ++n) {
    for (bool after : {false, true}) {
      bool resolver_finished = false;
      for (int m = 0; m <= 100 && !(m > 1 && resolver_finished); ++m) {
        for (bool after2 : {false, true}) {
          if (m == 0 && after2) continue;
          const std::string where = "coordinator crash at " + std::to_string(n) + (after ? " (applied)" : "") +
                                    ", resolver at " + std::to_string(m) + (after2 ? " (applied)" : "");
          World w;
          ++worlds;
          Outcome o1, o2, o3;
          coordinator_finished = RunCrashing(w, 1, coordinator, n, after, &o1);
          ExpectRecordsNamedByIntents(w, where);
          with_records += !w.Keys("txn:*").empty();
          w.clock.AdvanceMs(500);  // the crashed client's leases lapse
          resolver_finished = RunCrashing(w, 2, resolver, m, after2, &o2);
          ExpectRecordsNamedByIntents(w, where);
          w.clock.AdvanceMs(500);
          ASSERT_TRUE(RunCrashing(w, 3, reader, 0, false, &o3));
          ASSERT_EQ(o3.kind, Outcome::Kind::kOk) << where << ": " << o3.detail;
          EXPECT_TRUE(w.Keys("txn:*").empty()) << where;
          EXPECT_TRUE(w.Keys("intent:*").empty()) << where;
          const std::vector<int64_t> state = {*w.Int("a"), *w.Int("b"), *w.Int("c")};
          ASSERT_TRUE(serial.count(state)) << where << ": " << state[0] << " " << state[1] << " " << state[2];
          if (coordinator_finished) EXPECT_EQ(state[2], 1) << where;  // it committed
          if (resolver_finished) EXPECT_EQ(state[0] + 4 * state[2], o2.kind == Outcome::Kind::kOk ? 11 : 10) << where;
        }
      }
    }
  }
  std::printf("%d crash combinations, %d with a record left by the coordinator\n", worlds, with_records);
  EXPECT_GT(with_records, 0);
}

}  // namespace
}  // namespace txlab
