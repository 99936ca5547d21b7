// The exact fast paths (fast_paths.h) against the WGL search: each must
// catch its known-bad cases and agree with the search wherever it applies.
//
// Randomised: prints its seed; replay with TXLAB_SEED=<seed>.
#include "checkers/linearizability/fast_paths.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <sstream>

#include "checkers/linearizability/compile.h"
#include "checkers/linearizability/history_gen.h"
#include "model/history_io.h"

namespace txlab {
namespace {

using lin::GenOptions;
using lin::Outcome;

lin::Compiled CompileEdn(const std::string& edn) {
  History h;
  ParseError e = ReadEdnHistory(edn, &h);
  EXPECT_TRUE(e.ok) << e.ToString();
  lin::Compiled c;
  EXPECT_EQ(lin::Compile(h, {}, &c), "");
  return c;
}

std::string Op(int p, const char* type, const char* f, const char* value) {
  return std::string("{:process ") + std::to_string(p) + ", :type :" + type + ", :f :" + f + ", :value " + value + "}\n";
}

// Returns the fast path's outcome; fails the test if it does not apply.
Outcome Fast(const std::string& edn) {
  lin::Compiled c = CompileEdn(edn);
  EXPECT_EQ(c.partitions.size(), 1u);
  lin::SearchResult r;
  EXPECT_TRUE(lin::TryFastPath(c.partitions.at(0), false, &r)) << edn;
  return r.outcome;
}

// SEMANTICS.md 6.2 (an acknowledged write is visible to later reads): a
// read after two completed writes that returns the first is stale.
TEST(UniqueRegisterFastPath, CatchesStaleRead) {
  const std::string writes = Op(0, "invoke", "write", "1") + Op(0, "ok", "write", "1") +
                             Op(0, "invoke", "write", "2") + Op(0, "ok", "write", "2");
  EXPECT_EQ(Fast(writes + Op(1, "invoke", "read", "nil") + Op(1, "ok", "read", "1")), Outcome::kIllegal);
  EXPECT_EQ(Fast(writes + Op(1, "invoke", "read", "nil") + Op(1, "ok", "read", "2")), Outcome::kOk);
  // A read of nil after a completed write, and of a value never written.
  EXPECT_EQ(Fast(writes + Op(1, "invoke", "read", "nil") + Op(1, "ok", "read", "nil")), Outcome::kIllegal);
  EXPECT_EQ(Fast(writes + Op(1, "invoke", "read", "nil") + Op(1, "ok", "read", "7")), Outcome::kIllegal);
}

TEST(UniqueRegisterFastPath, ConcurrentReadsMustAgreeOnOneOrder) {
  // w1 and w2 overlap; after both, reads see 1 then 2: w1 after w2 for the
  // first read, w2 after w1 for the second. Forward zones overlap.
  const std::string both = Op(0, "invoke", "write", "1") + Op(1, "invoke", "write", "2") +
                           Op(0, "ok", "write", "1") + Op(1, "ok", "write", "2");
  EXPECT_EQ(Fast(both + Op(2, "invoke", "read", "nil") + Op(2, "ok", "read", "1") + Op(2, "invoke", "read", "nil") +
                 Op(2, "ok", "read", "2")),
            Outcome::kIllegal);
  EXPECT_EQ(Fast(both + Op(2, "invoke", "read", "nil") + Op(2, "ok", "read", "1") + Op(2, "invoke", "read", "nil") +
                 Op(2, "ok", "read", "1")),
            Outcome::kOk);
  // A read that returns before the write it saw was called.
  EXPECT_EQ(Fast(Op(2, "invoke", "read", "nil") + Op(2, "ok", "read", "1") + Op(0, "invoke", "write", "1") +
                 Op(0, "ok", "write", "1")),
            Outcome::kIllegal);
}

TEST(UniqueRegisterFastPath, NotForRepeatedValuesOrCas) {
  lin::SearchResult r;
  lin::Compiled c = CompileEdn(Op(0, "invoke", "write", "1") + Op(0, "ok", "write", "1") +
                               Op(0, "invoke", "write", "1") + Op(0, "ok", "write", "1"));
  EXPECT_FALSE(lin::TryFastPath(c.partitions[0], false, &r));
  c = CompileEdn(Op(0, "invoke", "cas", "[nil 1]") + Op(0, "ok", "cas", "[nil 1]"));
  EXPECT_FALSE(lin::TryFastPath(c.partitions[0], false, &r));
}

// Generated register histories (unique values by construction), with
// crashes, :fail ops and stale-read / lost-write mutations: wherever the
// fast path applies, it gives the search's verdict.
TEST(UniqueRegisterFastPath, AgreesWithTheSearch) {
  uint64_t seed = std::random_device{}();
  if (const char* s = std::getenv("TXLAB_SEED")) seed = std::strtoull(s, nullptr, 10);
  std::printf("TXLAB_SEED=%llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  int applied = 0, illegal = 0;
  for (int i = 0; i < 1500; ++i) {
    GenOptions g;
    g.seed = rng();
    g.model = GenOptions::Model::kRegister;
    g.ops = 2 + rng() % 30;
    g.clients = 1 + rng() % 5;
    g.keys = 1 + rng() % 2;
    g.read_fraction = 0.3 + 0.1 * (rng() % 5);
    g.crash_fraction = i % 2 ? 0.25 : 0;
    g.fail_fraction = i % 4 >= 2 ? 0.2 : 0;
    g.mutation = static_cast<GenOptions::Mutation>(rng() % 3);
    const History h = lin::GenerateHistory(g);
    lin::Compiled c;
    ASSERT_EQ(lin::Compile(h, {}, &c), "");
    for (const lin::Partition& p : c.partitions) {
      lin::SearchResult fast;
      if (!lin::TryFastPath(p, false, &fast)) continue;
      ++applied;
      lin::SearchResult slow = lin::Search(p, c.values.get(), {});
      ASSERT_NE(slow.outcome, Outcome::kUnknown);
      illegal += slow.outcome == Outcome::kIllegal;
      std::ostringstream text;
      WriteEdnHistory(h, text);
      ASSERT_EQ(fast.outcome, slow.outcome) << "generator seed " << g.seed << " mutation "
                                            << lin::MutationName(g.mutation) << "\n"
                                            << text.str();
    }
  }
  std::printf("fast path applied to %d partitions, %d of them illegal\n", applied, illegal);
  EXPECT_GT(applied, 1000);
  EXPECT_GT(illegal, 100);
}

}  // namespace
}  // namespace txlab
