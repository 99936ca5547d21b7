// Bank and counter checkers: known-bad histories caught, good ones pass.
#include <gtest/gtest.h>

#include <string>

#include "checkers/invariants/bank.h"
#include "checkers/invariants/counter.h"
#include "model/history_io.h"

namespace txlab {
namespace {

History Parse(const std::string& edn) {
  History h;
  const ParseError e = ReadEdnHistory(edn, &h);
  EXPECT_TRUE(e.ok) << e.ToString();
  return h;
}

// ---------------------------------------------------------------- bank

const char* kGoodBank = R"(
{:type :invoke, :process 0, :f :transfer, :value {:from 0, :to 1, :amount 5}}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :ok, :process 0, :f :transfer, :value {:from 0, :to 1, :amount 5}}
{:type :ok, :process 1, :f :read, :value {0 5, 1 15}}
{:type :invoke, :process 0, :f :transfer, :value {:from 0, :to 1, :amount 50}}
{:type :fail, :process 0, :f :transfer, :value {:from 0, :to 1, :amount 50}, :error :insufficient-funds}
{:type :invoke, :process 2, :f :transfer, :value {:from 1, :to 0, :amount 3}}
{:type :info, :process 2, :f :transfer, :value {:from 1, :to 0, :amount 3}}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :ok, :process 1, :f :read, :value {0 8, 1 12}}
)";

TEST(Bank, ConservedTotalPasses) {
  const Verdict v = CheckBank(Parse(kGoodBank), 20);
  EXPECT_TRUE(v.ok()) << v.summary;
  EXPECT_EQ(v.checker, "bank-invariant");
}

TEST(Bank, WrongTotalIsCaught) {
  // A transfer debited account 0 but its credit was lost.
  const Verdict v = CheckBank(Parse(R"(
{:type :invoke, :process 0, :f :transfer, :value {:from 0, :to 1, :amount 5}}
{:type :ok, :process 0, :f :transfer, :value {:from 0, :to 1, :amount 5}}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :ok, :process 1, :f :read, :value {0 5, 1 10}}
)"),
                              20);
  EXPECT_TRUE(v.illegal());
  EXPECT_NE(v.summary.find("total 15 != 20"), std::string::npos) << v.summary;
}

TEST(Bank, OverdraftIsCaught) {
  const Verdict v = CheckBank(Parse(R"(
{:type :invoke, :process 1, :f :read, :value nil}
{:type :ok, :process 1, :f :read, :value {0 -5, 1 25}}
)"),
                              20);
  EXPECT_TRUE(v.illegal());
  EXPECT_NE(v.summary.find("overdrawn"), std::string::npos) << v.summary;
}

TEST(Bank, BadFinalReadIsCaughtAndNamed) {
  std::string h = kGoodBank;
  h += "{:type :invoke, :process 1, :f :read, :value nil}\n{:type :ok, :process 1, :f :read, :value {0 8}}\n";
  const Verdict v = CheckBank(Parse(h), 20);
  EXPECT_TRUE(v.illegal());
  EXPECT_NE(v.details.back().find("is bad"), std::string::npos) << v.details.back();
  bool missing = false;
  for (const auto& d : v.details) missing |= d.find("missing") != std::string::npos;
  EXPECT_TRUE(missing);
}

TEST(Bank, NoReadIsUnknown) {
  const Verdict v = CheckBank(Parse("{:type :invoke, :process 0, :f :transfer, :value {:from 0, :to 1, :amount 5}}\n"), 20);
  EXPECT_EQ(v.outcome, Verdict::Outcome::kUnknown);
}

// ---------------------------------------------------------------- counter

TEST(Counter, FinalWithinAcknowledgedAndIndeterminatePasses) {
  // 2 acknowledged, 1 failed, 1 indeterminate, 1 never completed: final in [2, 4].
  const Verdict v = CheckCounter(Parse(R"(
{:type :invoke, :process 0, :f :incr, :value [:c 1]}
{:type :ok, :process 0, :f :incr, :value [:c 1]}
{:type :invoke, :process 0, :f :incr, :value [:c 1]}
{:type :ok, :process 0, :f :incr, :value [:c 1]}
{:type :invoke, :process 1, :f :incr, :value [:c 1]}
{:type :fail, :process 1, :f :incr, :value [:c 1]}
{:type :invoke, :process 2, :f :incr, :value [:c 1]}
{:type :info, :process 2, :f :incr, :value [:c 1]}
{:type :invoke, :process 3, :f :incr, :value [:c 1]}
{:type :invoke, :process 4, :f :read, :value nil}
{:type :ok, :process 4, :f :read, :value {:c 3}}
)"));
  EXPECT_TRUE(v.ok()) << v.summary;
  EXPECT_NE(v.details.back().find("bounds [2, 4]"), std::string::npos) << v.details.back();
}

TEST(Counter, LostAcknowledgedIncrementIsCaught) {
  const Verdict v = CheckCounter(Parse(R"(
{:type :invoke, :process 0, :f :incr, :value [:c 1]}
{:type :ok, :process 0, :f :incr, :value [:c 1]}
{:type :invoke, :process 0, :f :incr, :value [:c 1]}
{:type :ok, :process 0, :f :incr, :value [:c 1]}
{:type :invoke, :process 4, :f :read, :value nil}
{:type :ok, :process 4, :f :read, :value {:c 1}}
)"));
  EXPECT_TRUE(v.illegal());
  EXPECT_NE(v.summary.find("outside [2, 2]"), std::string::npos) << v.summary;
}

TEST(Counter, MoreThanAttemptedIsCaught) {
  const Verdict v = CheckCounter(Parse(R"(
{:type :invoke, :process 0, :f :incr, :value [:c 1]}
{:type :ok, :process 0, :f :incr, :value [:c 1]}
{:type :invoke, :process 1, :f :incr, :value [:c 1]}
{:type :fail, :process 1, :f :incr, :value [:c 1]}
{:type :invoke, :process 4, :f :read, :value nil}
{:type :ok, :process 4, :f :read, :value {:c 2}}
)"));
  EXPECT_TRUE(v.illegal());
  EXPECT_NE(v.summary.find("outside [1, 1]"), std::string::npos) << v.summary;
}

TEST(Counter, ConcurrentIncrementMayOrMayNotBeSeen) {
  // The read overlaps an increment: both 0 and 5 are fine, 6 is not.
  for (int seen : {0, 5, 6}) {
    const Verdict v = CheckCounter(Parse(R"(
{:type :invoke, :process 0, :f :add, :value 5}
{:type :invoke, :process 4, :f :read, :value nil}
{:type :ok, :process 0, :f :add, :value 5}
{:type :ok, :process 4, :f :read, :value )" + std::to_string(seen) + "}\n"));
    EXPECT_EQ(v.ok(), seen != 6) << seen << ": " << v.summary;
  }
}

TEST(Counter, NegativeDeltasBoundBothWays) {
  const Verdict v = CheckCounter(Parse(R"(
{:type :invoke, :process 0, :f :incr, :value [:c 10]}
{:type :ok, :process 0, :f :incr, :value [:c 10]}
{:type :invoke, :process 1, :f :incr, :value [:c -3]}
{:type :info, :process 1, :f :incr, :value [:c -3]}
{:type :invoke, :process 4, :f :read, :value nil}
{:type :ok, :process 4, :f :read, :value {:c 7}}
)"));
  EXPECT_TRUE(v.ok()) << v.summary;
}

}  // namespace
}  // namespace txlab
