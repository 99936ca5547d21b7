// Crashes that fall after the server applied a command but before the client
// saw its reply: the txn may have taken effect, so it is recorded :info
// (SEMANTICS §6.2: timeout / connection loss ⇒ :info, indeterminate), and the
// checkers must count it as possibly applied.
#include <gtest/gtest.h>

#include "workloads/recorder.h"
#include "workloads/test_util.h"

namespace txlab {
namespace {

RunOutput Sim(const RunConfig& c) { return MakeSimRunner()->Run(c); }

// One hot counter; crashes only at `command`.
RunConfig CrashAt(const std::string& strategy, const std::string& command, double after_apply, uint64_t seed) {
  RunConfig c = SmallConfig("counter", strategy, "sim", seed);
  c.workload_options.counter_keys = 1;
  c.sim.crash_probability = 0.2;
  c.sim.crash_command = command;
  c.sim.crash_after_apply = after_apply;
  return c;
}

struct Tally {
  int64_t acked = 0;          // :ok increments
  int64_t indeterminate = 0;  // :info increments
  int64_t final_value = -1;   // the last :ok read
};

Tally TallyCounter(const History& h) {
  Tally t;
  for (const Op& op : h) {
    if (op.f == "incr" && op.type == OpType::kOk) ++t.acked;
    if (op.f == "incr" && op.type == OpType::kInfo) ++t.indeterminate;
    if (op.f == "read" && op.type == OpType::kOk) t.final_value = op.value.as_map().at(0).second.as_int();
  }
  return t;
}

// What a recorder that took every crash for "not applied" would write.
History InfoAsFail(History h) {
  for (Op& op : h) {
    if (op.type == OpType::kInfo) op.type = OpType::kFail;
  }
  return h;
}

TEST(CrashTest, CrashAfterExecAppliedIsIndeterminateAndCounted) {
  // watch: the crash falls after EXEC committed the increment; the reply is
  // lost, the txn is :info, and the final value exceeds the acked ones.
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    RunConfig c = CrashAt("watch", "EXEC", 1.0, seed);
    RunOutput out = Sim(c);
    const Tally t = TallyCounter(out.history);
    EXPECT_GT(out.crashes, 0u) << "seed " << seed;
    EXPECT_EQ(out.crashes_after_apply, out.crashes) << "seed " << seed;
    EXPECT_GT(t.indeterminate, 0) << "seed " << seed;
    // Every crash at EXEC committed (the key was WATCHed, but a crash after
    // EXEC only happens once EXEC ran; a nil EXEC is not an increment).
    EXPECT_GT(t.final_value, t.acked) << "seed " << seed << ": no crashed increment took effect";
    EXPECT_LE(t.final_value, t.acked + t.indeterminate) << "seed " << seed;
    Verdict v = CheckCounter(out.history);
    EXPECT_TRUE(v.ok()) << "seed " << seed << ": " << v.summary;
    // The checker must treat :info as indeterminate: had the crashed txns
    // been recorded :fail, the same history is a violation.
    EXPECT_TRUE(CheckCounter(InfoAsFail(out.history)).illegal()) << "seed " << seed;
  }
}

TEST(CrashTest, CrashBeforeExecIsSentNeverApplies) {
  // The control: a crash before EXEC is sent drops the queued MULTI with
  // the connection, so no crashed increment ever takes effect.
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    RunConfig c = CrashAt("watch", "EXEC", 0.0, seed);
    RunOutput out = Sim(c);
    const Tally t = TallyCounter(out.history);
    EXPECT_GT(t.indeterminate, 0) << "seed " << seed;
    EXPECT_EQ(out.crashes_after_apply, 0u);
    EXPECT_EQ(t.final_value, t.acked) << "seed " << seed;
    EXPECT_TRUE(CheckCounter(out.history).ok()) << "seed " << seed;
  }
}

TEST(CrashTest, CrashAfterScriptAppliedIsIndeterminate) {
  RunConfig c = CrashAt("lua", "EVALSHA", 1.0, 4);
  RunOutput out = Sim(c);
  const Tally t = TallyCounter(out.history);
  EXPECT_GT(t.final_value, t.acked);
  EXPECT_TRUE(CheckCounter(out.history).ok());
  EXPECT_TRUE(CheckCounter(InfoAsFail(out.history)).illegal());
}

TEST(CrashTest, LockHolderCrashingAfterItsCommitLeavesLocksAndEffects) {
  // lock, lock-wait: the crash falls after the writes' EXEC (one txn of
  // counter writes with GET+SET under its lease, or the bank's MULTI/EXEC)
  // with every lock still held: the effect is in, the locks stay until
  // their leases expire, and others find them busy meanwhile.
  for (std::string s : {"lock", "lock-wait"}) {
    RunConfig c = SmallConfig("bank", s, "sim", 6);
    c.sim.crash_probability = 0.2;
    c.sim.crash_command = "EXEC";
    c.sim.crash_after_apply = 1.0;
    RunOutput out = Sim(c);
    EXPECT_GT(out.crashes_after_apply, 0u) << s;
    EXPECT_GT(out.metrics[0].infos, 0u) << s;
    Verdict v = InvariantOf(c, out);
    EXPECT_TRUE(v.ok()) << s << ": " << v.summary;
    // The locks left behind: others see them busy (no-wait) or wait on them.
    EXPECT_GT(out.metrics[0].aborts.Get(AbortReason::kLockBusy) + out.metrics[0].lock_waits, 0u) << s;
  }
  // A lock granted, then the crash: nothing written, the lease blocks
  // others until it expires.
  // (Rarely: a txn that crashes later takes its lock-busy counts along.)
  RunConfig c = CrashAt("lock", "SET", 1.0, 2);
  c.sim.crash_probability = 0.02;
  RunOutput out = Sim(c);
  EXPECT_GT(out.crashes_after_apply, 0u);
  EXPECT_GT(out.metrics[0].aborts.Get(AbortReason::kLockBusy), 0u);
  EXPECT_TRUE(CheckCounter(out.history).ok());
}

TEST(CrashTest, CrashesOfBothKindsReplayByteForByte) {
  for (std::string s : {"watch", "lock-wait", "lua"}) {
    RunConfig c = SmallConfig("list-append", s, "sim", 11);
    c.sim.crash_probability = 0.03;
    c.sim.crash_after_apply = 0.5;
    RunOutput a = Sim(c), b = Sim(c);
    EXPECT_GT(a.crashes_after_apply, 0u) << s;
    EXPECT_LT(a.crashes_after_apply, a.crashes) << s;
    EXPECT_EQ(HistoryHash(a.history), HistoryHash(b.history)) << s;
    EXPECT_EQ(a.crashes_after_apply, b.crashes_after_apply) << s;
  }
}

}  // namespace
}  // namespace txlab
