// The anomaly -> model relations agree with Elle's consistency_model.clj.
#include "checkers/isolation/consistency_models.h"

#include <gtest/gtest.h>

namespace txlab::isolation {
namespace {

bool Rules(const std::set<std::string>& anomalies, const std::string& model) {
  return ImpossibleModels(anomalies).count(CanonicalModel(model)) > 0;
}

TEST(ConsistencyModels, G2ItemRulesOutRepeatableReadNotSnapshotIsolation) {
  EXPECT_TRUE(Rules({"G2-item"}, "repeatable-read"));
  EXPECT_TRUE(Rules({"G2-item"}, "serializable"));
  EXPECT_TRUE(Rules({"G2-item"}, "strict-serializable"));
  EXPECT_FALSE(Rules({"G2-item"}, "snapshot-isolation"));
  EXPECT_FALSE(Rules({"G2-item"}, "read-committed"));
}

TEST(ConsistencyModels, GSingleRulesOutSnapshotIsolation) {
  EXPECT_TRUE(Rules({"G-single"}, "snapshot-isolation"));
  EXPECT_TRUE(Rules({"G-single"}, "serializable"));
  EXPECT_FALSE(Rules({"G-single"}, "read-committed"));
}

TEST(ConsistencyModels, RealtimeVariantsRuleOutOnlyStrictSerializable) {
  EXPECT_TRUE(Rules({"G2-item-realtime"}, "strict-serializable"));
  EXPECT_FALSE(Rules({"G2-item-realtime"}, "serializable"));
  EXPECT_FALSE(Rules({"G-single-process"}, "snapshot-isolation"));
  EXPECT_TRUE(Rules({"G-single-process"}, "strict-serializable"));
}

TEST(ConsistencyModels, G0AndG1) {
  EXPECT_TRUE(Rules({"G0"}, "read-uncommitted"));
  EXPECT_TRUE(Rules({"G1a"}, "read-committed"));
  EXPECT_FALSE(Rules({"G1a"}, "read-uncommitted"));
  EXPECT_TRUE(Rules({"G1c"}, "read-committed"));
  EXPECT_TRUE(Rules({"incompatible-order"}, "read-committed"));
}

TEST(ConsistencyModels, LostUpdateAndInternal) {
  EXPECT_TRUE(Rules({"lost-update"}, "repeatable-read"));
  EXPECT_TRUE(Rules({"lost-update"}, "snapshot-isolation"));
  EXPECT_FALSE(Rules({"lost-update"}, "read-committed"));
  EXPECT_TRUE(Rules({"internal"}, "snapshot-isolation"));
  EXPECT_TRUE(Rules({"internal"}, "serializable"));
}

TEST(ConsistencyModels, SnapshotPhenomenaRuleOutSnapshotIsolation) {
  // Elle spells them G-SI / G-SIb in PL-SI / PL-FCV; txlab joins the names.
  EXPECT_TRUE(Rules({"GSIb"}, "snapshot-isolation"));
  EXPECT_TRUE(Rules({"GSIb"}, "forward-consistent-view"));
  EXPECT_TRUE(Rules({"GSIa"}, "snapshot-isolation"));
  EXPECT_TRUE(Rules({"GSIa"}, "read-committed"));  // a ww/wr two-cycle is G1c
  EXPECT_FALSE(Rules({"GSIb"}, "read-committed"));
  EXPECT_FALSE(Rules({"GSIb"}, "repeatable-read"));
}

TEST(ConsistencyModels, StartDependencyVariantsRuleOutOnlyStrongModels) {
  for (const char* a : {"GSIa-realtime", "GSIb-realtime", "GSIa-process", "GSIb-process"}) {
    EXPECT_TRUE(Rules({a}, "strict-serializable")) << a;
    EXPECT_TRUE(Rules({a}, "strong-snapshot-isolation")) << a;
    EXPECT_FALSE(Rules({a}, "snapshot-isolation")) << a;
    EXPECT_FALSE(Rules({a}, "serializable")) << a;
  }
  EXPECT_TRUE(Rules({"GSIb-process"}, "strong-session-snapshot-isolation"));
  EXPECT_FALSE(Rules({"GSIb-realtime"}, "strong-session-snapshot-isolation"));
}

TEST(ConsistencyModels, ItemLevelGSingleIsG2Item) {
  // Adya: G2-item is a cycle with one or more item anti-dependency edges.
  EXPECT_FALSE(Rules({"G-single"}, "repeatable-read"));  // Elle's reading
  EXPECT_TRUE(Rules(WithItemVariants({"G-single"}), "repeatable-read"));
  EXPECT_TRUE(Rules(WithItemVariants({"G-nonadjacent"}), "repeatable-read"));
  EXPECT_FALSE(Rules(WithItemVariants({"G-single-realtime"}), "repeatable-read"));
  EXPECT_TRUE(WithItemVariants({"G-single-process"}).count("G-single-item-process"));
  EXPECT_EQ(WithItemVariants({"G0", "GSIb"}), (std::set<std::string>{"G0", "GSIb"}));
}

TEST(ConsistencyModels, ProhibitedSets) {
  const auto rr = AnomaliesProhibitedBy("repeatable-read");
  EXPECT_TRUE(rr.count("G2-item"));
  EXPECT_TRUE(rr.count("G1c"));
  EXPECT_TRUE(rr.count("G0"));
  EXPECT_FALSE(rr.count("G2-item-realtime"));
  const auto ss = AnomaliesProhibitedBy("strict-serializable");
  EXPECT_TRUE(ss.count("G0-realtime"));
  EXPECT_TRUE(ss.count("G-single-process"));
  EXPECT_TRUE(IsKnownModel("PL-SI"));
  EXPECT_FALSE(IsKnownModel("eventual-happiness"));
  EXPECT_EQ(FriendlyModel("PL-2.99"), "repeatable-read");
}

}  // namespace
}  // namespace txlab::isolation
