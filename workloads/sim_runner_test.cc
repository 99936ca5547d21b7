// The simulator: determinism, and every strategy on bank and counter.
#include <gtest/gtest.h>

#include <sstream>

#include "model/history_io.h"
#include "workloads/recorder.h"
#include "workloads/test_util.h"

namespace txlab {
namespace {

const std::vector<std::string> kSafe = {"lua",         "watch",           "lock",    "lock-wait",
                                        "lock-fenced", "lock-wait-fenced", "lock-2pc"};
const std::vector<std::string> kUnsafe = {"naive", "multi-no-watch"};

RunOutput Sim(const RunConfig& c) { return MakeSimRunner()->Run(c); }

TEST(SimRunnerTest, SameSeedSameHistoryByteForByte) {
  std::printf("seeds 7 and 8\n");
  for (std::string s : {"watch", "lock", "lua", "naive"}) {
    RunConfig c = SmallConfig("list-append", s, "sim", 7);
    c.sim.pause_probability = 0.001;
    c.sim.crash_probability = 0.001;
    RunOutput a = Sim(c), b = Sim(c);
    ASSERT_FALSE(a.history.empty());
    EXPECT_EQ(HistoryHash(a.history), HistoryHash(b.history)) << s << " seed 7";
    EXPECT_EQ(a.elapsed_ns, b.elapsed_ns) << s;
    EXPECT_EQ(a.metrics[0].ToJson(a.elapsed_ns).dump(), b.metrics[0].ToJson(b.elapsed_ns).dump()) << s;
    c.seed = 8;
    RunOutput other = Sim(c);
    EXPECT_NE(HistoryHash(a.history), HistoryHash(other.history)) << s << " seeds 7 and 8";
  }
}

TEST(SimRunnerTest, HistoriesAreWellFormed) {
  for (const std::string& w : WorkloadNames()) {
    RunConfig c = SmallConfig(w, "watch", "sim", 3);
    c.sim.crash_probability = 0.002;
    RunOutput out = Sim(c);
    ParseError e = ValidateHistory(out.history);
    EXPECT_TRUE(e.ok) << w << ": " << e.ToString();
    std::ostringstream edn;
    WriteEdnHistory(out.history, edn);
    History back;
    ASSERT_TRUE(ReadEdnHistory(edn.str(), &back).ok) << w;
    EXPECT_EQ(back.size(), out.history.size());
  }
}

TEST(SimRunnerTest, SafeStrategiesKeepBankAndCounterInvariants) {
  const int seeds = Scaled(12);
  std::printf("seeds 1..%d\n", seeds);
  for (std::string w : {"bank", "counter"}) {
    for (const std::string& s : kSafe) {
      for (int seed = 1; seed <= seeds; ++seed) {
        RunConfig c = SmallConfig(w, s, "sim", seed);
        RunOutput out = Sim(c);
        Verdict v = InvariantOf(c, out);
        ASSERT_TRUE(v.ok()) << w << " " << s << " seed " << seed << ": " << v.summary
                            << (v.details.empty() ? "" : "\n" + v.details[0]);
        EXPECT_GT(out.metrics[0].commits, 100u) << w << " " << s << " seed " << seed;
      }
    }
  }
}

TEST(SimRunnerTest, SafeStrategiesSurviveCrashes) {
  // A crash mid-txn: MULTI is discarded with the connection, a script is
  // atomic, a lock's writes are one MULTI/EXEC; locks left behind expire.
  const int seeds = Scaled(6);
  std::printf("seeds 1..%d\n", seeds);
  for (const std::string& s : kSafe) {
    uint64_t crashes = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      RunConfig c = SmallConfig("bank", s, "sim", seed);
      c.sim.crash_probability = 0.01;
      RunOutput out = Sim(c);
      Verdict v = InvariantOf(c, out);
      ASSERT_TRUE(v.ok()) << s << " seed " << seed << ": " << v.summary;
      crashes += out.crashes;
    }
    EXPECT_GT(crashes, 0u) << s;
  }
}

TEST(SimRunnerTest, NegativeControlsBreakInvariantsForSomeSeed) {
  for (std::string w : {"bank", "counter"}) {
    for (const std::string& s : kUnsafe) {
      int found = 0;
      for (int seed = 1; seed <= 20 && !found; ++seed) {
        RunConfig c = SmallConfig(w, s, "sim", seed);
        if (InvariantOf(c, Sim(c)).illegal()) found = seed;
      }
      EXPECT_NE(found, 0) << w << " " << s << ": no violation in seeds 1..20";
      std::printf("%s %s: first violating seed %d\n", w.c_str(), s.c_str(), found);
    }
  }
}

TEST(SimRunnerTest, MixedStrategiesShareKeys) {
  // Scripts and WATCH compose: a script's writes touch watched keys.
  RunConfig c = SmallConfig("bank", "lua", "sim", 5);
  c.strategies = {{"lua", 0.6}, {"watch", 0.4}};
  for (int seed = 1; seed <= Scaled(8); ++seed) {
    c.seed = seed;
    RunOutput out = Sim(c);
    ASSERT_EQ(out.metrics.size(), 2u);
    for (const auto& m : out.metrics) EXPECT_GT(m.commits, 10u) << m.strategy;
    EXPECT_GT(out.metrics[0].commits, out.metrics[1].commits);
    Verdict v = InvariantOf(c, out);
    EXPECT_TRUE(v.ok()) << "lua+watch seed " << seed << ": " << v.summary;
  }
}

TEST(SimRunnerTest, LocksDoNotProtectAgainstClientsThatIgnoreThem) {
  // A lock only excludes other lock users: a script that writes between a
  // lock holder's read and write causes a lost update.
  RunConfig c = SmallConfig("bank", "lua", "sim", 1);
  c.strategies = {{"lua", 0.5}, {"lock-fenced", 0.5}};
  int found = 0;
  for (int seed = 1; seed <= 20 && !found; ++seed) {
    c.seed = seed;
    if (InvariantOf(c, Sim(c)).illegal()) found = seed;
  }
  EXPECT_NE(found, 0) << "lua+lock-fenced: no violation in seeds 1..20";
  std::printf("lua+lock-fenced: first violating seed %d\n", found);
}

TEST(SimRunnerTest, LockWaitCountsInPlaceWaitsApartFromRetries) {
  // lock-wait retries a busy lock in place: each is a lock wait, not a
  // retry (no abort, no new attempt). lock (no-wait) aborts instead.
  RunConfig c = SmallConfig("counter", "lock-wait", "sim", 3);
  c.workload_options.counter_keys = 1;
  c.strategy_options.lock_wait_tries = 1000;  // never gives up waiting here
  RunOutput out = Sim(c);
  const StrategyMetrics& m = out.metrics[0];
  EXPECT_GT(m.lock_waits, 0u);
  EXPECT_GT(m.commit_lock_waits, 0u);
  EXPECT_LE(m.commit_lock_waits, m.lock_waits);
  EXPECT_GT(m.LockWaitsPerCommit(), 0.0);
  EXPECT_EQ(m.attempts, m.txns) << "a wait is not a new attempt";
  EXPECT_EQ(m.aborts.Get(AbortReason::kLockBusy), 0u);
  EXPECT_EQ(m.ToJson(out.elapsed_ns)["lock_waits"], m.lock_waits);

  c.strategies = {{"lock", 1.0}};
  const StrategyMetrics no_wait = Sim(c).metrics[0];
  EXPECT_EQ(no_wait.lock_waits, 0u);
  EXPECT_GT(no_wait.aborts.Get(AbortReason::kLockBusy), 0u);
  EXPECT_GT(no_wait.attempts, no_wait.txns);
}

TEST(SimRunnerTest, WatchGivesUpAfterMaxAttempts) {
  RunConfig c = SmallConfig("counter", "watch", "sim", 1);
  c.workload_options.counter_keys = 1;
  c.clients = 16;
  c.strategy_options.max_attempts = 1;
  RunOutput out = Sim(c);
  const StrategyMetrics& m = out.metrics[0];
  EXPECT_GT(m.give_ups, 0u);
  EXPECT_EQ(m.give_ups, m.aborts.Get(AbortReason::kGiveUp));
  EXPECT_EQ(m.aborts.Get(AbortReason::kWatchConflict), m.give_ups);
  EXPECT_TRUE(InvariantOf(c, out).ok());
}

}  // namespace
}  // namespace txlab
