// Simulated lease expiry (Kleppmann; SEMANTICS §5.3): a lock holder paused
// past its lease loses mutual exclusion. Without fencing its late writes
// land and the bank loses or makes money for some seed; with fencing the
// stale writes are refused and the invariant holds for every seed.
#include <gtest/gtest.h>

#include "workloads/test_util.h"

namespace txlab {
namespace {

RunConfig PausingConfig(const std::string& strategy, uint64_t seed) {
  RunConfig c = SmallConfig("bank", strategy, "sim", seed);
  c.strategy_options.lock_ttl_ms = 50;
  c.sim.pause_ns = 200'000'000;  // 4 leases
  c.sim.pause_probability = 0.01;
  return c;
}

TEST(LeaseTest, PausedLockHolderBreaksIsolationWithoutFencing) {
  for (std::string s : {"lock", "lock-wait"}) {
    int found = 0;
    for (int seed = 1; seed <= 40 && !found; ++seed) {
      RunConfig c = PausingConfig(s, seed);
      RunOutput out = MakeSimRunner()->Run(c);
      ASSERT_GT(out.pauses, 0u);
      if (InvariantOf(c, out).illegal()) {
        found = seed;
        EXPECT_GT(out.metrics[0].aborts.Get(AbortReason::kLeaseLost), 0u) << s << " seed " << seed;
      }
    }
    EXPECT_NE(found, 0) << s << ": no lost update in seeds 1..40";
    std::printf("%s: first seed with a lost update %d\n", s.c_str(), found);
  }
}

TEST(LeaseTest, FencingKeepsIsolationDespitePauses) {
  const int seeds = Scaled(16);
  std::printf("seeds 1..%d\n", seeds);
  for (std::string s : {"lock-fenced", "lock-wait-fenced"}) {
    uint64_t fenced = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      RunConfig c = PausingConfig(s, seed);
      RunOutput out = MakeSimRunner()->Run(c);
      Verdict v = InvariantOf(c, out);
      ASSERT_TRUE(v.ok()) << s << " seed " << seed << ": " << v.summary;
      fenced += out.metrics[0].aborts.Get(AbortReason::kFenced);
    }
    EXPECT_GT(fenced, 0u) << s << ": no stale access was ever fenced; the test does not exercise fencing";
  }
}

}  // namespace
}  // namespace txlab
