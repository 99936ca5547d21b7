// The threaded runner: real concurrency on the embedded engine.
#include <gtest/gtest.h>

#include "workloads/test_util.h"

namespace txlab {
namespace {

RunConfig ThreadConfig(const std::string& w, const std::string& s, uint64_t seed) {
  RunConfig c = SmallConfig(w, s, "threads", seed);
  c.clients = 8;
  c.ops = Scaled(2000);
  return c;
}

TEST(ThreadRunnerTest, SafeStrategiesKeepBankAndCounterInvariants) {
  std::printf("seeds 1..2 (thread interleavings are not reproducible)\n");
  for (std::string w : {"bank", "counter"}) {
    for (std::string s : {"lua", "watch", "lock", "lock-wait", "lock-fenced", "lock-wait-fenced", "lock-2pc"}) {
      for (int seed = 1; seed <= 2; ++seed) {
        RunConfig c = ThreadConfig(w, s, seed);
        RunOutput out = MakeThreadRunner()->Run(c);
        Verdict v = InvariantOf(c, out);
        EXPECT_TRUE(v.ok()) << w << " " << s << " seed " << seed << ": " << v.summary;
        EXPECT_GT(out.metrics[0].commits, 0u);
      }
    }
  }
}

TEST(ThreadRunnerTest, NegativeControlsBreakInvariantsForSomeSeed) {
  // Real threads on 2 cores interleave less than the simulator: give them
  // one hot key / few accounts and more txns, and search a few seeds.
  for (std::string w : {"bank", "counter"}) {
    for (std::string s : {"naive", "multi-no-watch"}) {
      int found = 0;
      for (int seed = 1; seed <= 10 && !found; ++seed) {
        RunConfig c = ThreadConfig(w, s, seed);
        c.workload_options.accounts = 2;
        c.workload_options.counter_keys = 1;
        c.ops = 20000;
        if (InvariantOf(c, MakeThreadRunner()->Run(c)).illegal()) found = seed;
      }
      EXPECT_NE(found, 0) << w << " " << s;
      std::printf("threads %s %s: first violating seed %d\n", w.c_str(), s.c_str(), found);
    }
  }
}

TEST(ThreadRunnerTest, StopsAfterDuration) {
  RunConfig c = ThreadConfig("list-append", "lua", 1);
  c.ops = 0;
  c.duration_ns = 200'000'000;
  RunOutput out = MakeThreadRunner()->Run(c);
  EXPECT_GE(out.elapsed_ns, 200'000'000);
  EXPECT_LT(out.elapsed_ns, 5'000'000'000);
  EXPECT_GT(out.metrics[0].commits, 0u);
}

}  // namespace
}  // namespace txlab
