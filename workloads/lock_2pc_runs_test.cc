// lock-2pc under the simulator's faults, judged by the invariants and the
// isolation checker (SEMANTICS §4.3: 2PC across shards with intents that
// readers respect; §5.3: pauses past a lease, crashes that leave locks).
// On the embedded engine every cluster slot of a txn's keys is a 2PC
// participant, exactly as on a cluster (bank's accounts span 4 slots).
#include <gtest/gtest.h>

#include <cstdlib>

#include "checkers/isolation/isolation.h"
#include "workloads/test_util.h"

namespace txlab {
namespace {

// Seeds per workload: `n` (a quarter under sanitizers), or
// TXLAB_LOCK2PC_SEEDS for a longer soak.
int Seeds(int n) {
  const char* env = std::getenv("TXLAB_LOCK2PC_SEEDS");
  return env && *env ? std::atoi(env) : Scaled(n);
}

RunConfig Faulty(const std::string& workload, uint64_t seed) {
  RunConfig c = SmallConfig(workload, "lock-2pc", "sim", seed);
  c.strategy_options.lock_ttl_ms = 50;
  c.sim.pause_ns = 200'000'000;  // 4 leases
  c.sim.pause_probability = 0.005;
  c.sim.crash_probability = 0.005;
  c.sim.final_keys_pattern = "*";
  return c;
}

// Once the final reads (which read every key the workload wrote) have
// resolved every intent, no decision record may be left: a record lives
// exactly as long as its txn's intents on its home participant, whoever
// crashed where.
void ExpectNoRecordOrIntentLeft(const RunOutput& out, const std::string& where) {
  for (const std::string& k : out.final_keys) {
    EXPECT_NE(k.rfind("txn:", 0), 0u) << where << ": decision record left: " << k;
    EXPECT_NE(k.rfind("intent:", 0), 0u) << where << ": intent left: " << k;
  }
}

// Crashed coordinators leave intents (and sometimes commit records) behind;
// paused ones lose their leases between read, prepare and commit. Every
// one of those must be resolved without losing or making money, and
// without leaving a decision record behind.
TEST(Lock2pcRunsTest, BankAndCounterKeepInvariantsUnderPausesAndCrashes) {
  const int seeds = Seeds(12);
  std::printf("seeds 1..%d\n", seeds);
  for (std::string w : {"bank", "counter"}) {
    AbortCounts seen;
    uint64_t crashes = 0, pauses = 0, commits = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      RunConfig c = Faulty(w, seed);
      RunOutput out = MakeSimRunner()->Run(c);
      Verdict v = InvariantOf(c, out);
      ASSERT_TRUE(v.ok()) << w << " seed " << seed << ": " << v.summary
                          << (v.details.empty() ? "" : "\n" + v.details[0]);
      ExpectNoRecordOrIntentLeft(out, w + " seed " + std::to_string(seed));
      seen += out.metrics[0].aborts;
      crashes += out.crashes;
      pauses += out.pauses;
      commits += out.metrics[0].commits;
    }
    std::printf("%s: %llu commits, %llu crashes, %llu pauses; intents resolved %llu, prepares refused %llu, "
                "commits preempted %llu\n",
                w.c_str(), (unsigned long long)commits, (unsigned long long)crashes, (unsigned long long)pauses,
                (unsigned long long)seen.Get(AbortReason::kIntentResolved),
                (unsigned long long)seen.Get(AbortReason::kPrepareRefused),
                (unsigned long long)seen.Get(AbortReason::kCommitPreempted));
    EXPECT_GT(crashes, 0u) << w;
    EXPECT_GT(commits, 100u * seeds) << w;
    // The test must exercise what 2PC is for: intents left by crashed or
    // stalled coordinators (bank only: counter txns have one participant
    // and commit in one phase).
    if (w == "bank") {
      EXPECT_GT(seen.Get(AbortReason::kIntentResolved), 0u);
    }
    EXPECT_GT(seen.Get(AbortReason::kPrepareRefused) + seen.Get(AbortReason::kCommitPreempted), 0u) << w;
  }
}

// Elle's list-append and rw-register with several keys per txn: no
// anomaly of any kind under pauses and crashes (strict serializable).
TEST(Lock2pcRunsTest, IsolationCheckerFindsNoAnomalyUnderPausesAndCrashes) {
  const int seeds = Seeds(6);
  std::printf("seeds 1..%d\n", seeds);
  for (std::string w : {"list-append", "rw-register"}) {
    uint64_t resolved = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      RunConfig c = Faulty(w, seed);
      RunOutput out = MakeSimRunner()->Run(c);
      Verdict v = CheckIsolation(out.history);
      ASSERT_TRUE(v.ok()) << w << " seed " << seed << ": " << v.summary
                          << (v.details.empty() ? "" : "\n" + v.details[0]);
      ExpectNoRecordOrIntentLeft(out, w + " seed " + std::to_string(seed));
      resolved += out.metrics[0].aborts.Get(AbortReason::kIntentResolved);
    }
    EXPECT_GT(resolved, 0u) << w;
  }
}

// The same checker on the same faults catches the unsafe lock variant: a
// paused `lock` holder's late writes show up as anomalies for some seed.
TEST(Lock2pcRunsTest, IsolationCheckerCatchesUnfencedLocksUnderPauses) {
  int found = 0;
  for (int seed = 1; seed <= 20 && !found; ++seed) {
    RunConfig c = Faulty("list-append", seed);
    c.strategies = {{"lock", 1.0}};
    c.sim.crash_probability = 0;
    c.sim.pause_probability = 0.01;
    if (CheckIsolation(MakeSimRunner()->Run(c).history).illegal()) found = seed;
  }
  EXPECT_NE(found, 0) << "lock: no anomaly in seeds 1..20";
  std::printf("lock: first seed with an anomaly %d\n", found);
}

TEST(Lock2pcRunsTest, ThreadsKeepBankAndCounterInvariants) {
  for (std::string w : {"bank", "counter"}) {
    RunConfig c = SmallConfig(w, "lock-2pc", "threads", 1);
    c.clients = 8;
    c.ops = Scaled(2000);
    RunOutput out = MakeThreadRunner()->Run(c);
    Verdict v = InvariantOf(c, out);
    EXPECT_TRUE(v.ok()) << w << ": " << v.summary;
    EXPECT_GT(out.metrics[0].commits, 0u) << w;
  }
}

}  // namespace
}  // namespace txlab
