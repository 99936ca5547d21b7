// G2 (item level), GSIa and GSIb: one hand-built history per class, reported
// as that class with the cycle spelled out, and a valid twin that passes
// (the anomalies_test.cc pattern). SEMANTICS.md 6.2 (Elle's anomaly list);
// Adya's definitions in snapshot_phenomena.h and consistency_models.h.
#include <gtest/gtest.h>

#include "checkers/isolation/isolation.h"
#include "checkers/isolation/test_util.h"

namespace txlab::isolation::testing {
namespace {

const IsolationAnomaly* Find(const IsolationReport& r, const std::string& type) {
  for (const auto& a : r.anomalies) {
    if (a.type == type) return &a;
  }
  return nullptr;
}

void ExpectValid(const HistoryBuilder& b) {
  const IsolationReport r = AnalyzeIsolation(b.Build());
  ASSERT_TRUE(r.input_ok) << r.input_error;
  EXPECT_TRUE(r.anomalies.empty()) << Dump(r);
  EXPECT_EQ(r.models_ok.size(), 6u) << Dump(r);
}

// ---------------------------------------------------------------- G2

TEST(G2Item_6_2, WriteSkewHasTwoAdjacentRwAndNoPredicateG2) {
  // Two rw edges, adjacent: G2-item, not G-single; no predicate reads, so
  // Adya's G2 holds only as implied by G2-item and is never reported itself.
  HistoryBuilder b;
  b.Invoke(0, "[[:r :x nil] [:r :y nil] [:w :x 1]]")
      .Invoke(1, "[[:r :x nil] [:r :y nil] [:w :y 1]]")
      .Ok(0, "[[:r :x nil] [:r :y nil] [:w :x 1]]")
      .Ok(1, "[[:r :x nil] [:r :y nil] [:w :y 1]]");
  const IsolationReport r = AnalyzeIsolation(b.Build());
  const IsolationAnomaly* a = Find(r, "G2-item");
  ASSERT_NE(a, nullptr) << Dump(r);
  EXPECT_FALSE(HasType(r, "G-single")) << Dump(r);
  EXPECT_FALSE(HasType(r, "G2")) << Dump(r);
  EXPECT_FALSE(HasType(r, "GSIb")) << Dump(r);
  EXPECT_EQ(a->ops.size(), 2u);
  // Both steps are anti-dependencies, each explained by key and value.
  EXPECT_NE(a->explanation.find("T1 -rw-> T2: T1 read key :y = nil, and T2 set it to 1"), std::string::npos)
      << a->explanation;
  EXPECT_NE(a->explanation.find("T2 -rw-> T1: T2 read key :x = nil, and T1 set it to 1"), std::string::npos)
      << a->explanation;
  EXPECT_TRUE(Contains(r.models_violated, "repeatable-read"));
  EXPECT_TRUE(Contains(r.models_violated, "serializable"));
  EXPECT_TRUE(Contains(r.models_ok, "snapshot-isolation")) << Dump(r);
  EXPECT_EQ(r.ruled_out_by.at("serializable"), std::vector<std::string>{"G2-item"});
}

TEST(G2Item_6_2, SerialWritersPass) {
  HistoryBuilder b;
  b.Txn(0, "[[:r :x nil] [:r :y nil] [:w :x 1]]").Txn(1, "[[:r :x 1] [:r :y nil] [:w :y 1]]");
  ExpectValid(b);
}

TEST(G2Item_6_2, ReadSkewIsGSingleAndItemLevelSoNotRepeatableRead) {
  // One rw edge: G-single. Its rw edge is an item anti-dependency, so the
  // cycle is also Adya's G2-item: repeatable-read (PL-2.99) is ruled out, by
  // G-single, while read committed holds.
  HistoryBuilder b;
  b.Invoke(0, "[[:append :x 1] [:append :y 1]]")
      .Invoke(1, "[[:r :x nil] [:r :y nil]]")
      .Ok(0, "[[:append :x 1] [:append :y 1]]")
      .Ok(1, "[[:r :x []] [:r :y [1]]]");
  const IsolationReport r = AnalyzeIsolation(b.Build());
  ASSERT_TRUE(HasType(r, "G-single")) << Dump(r);
  EXPECT_FALSE(HasType(r, "G2-item")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "repeatable-read")) << Dump(r);
  EXPECT_EQ(r.ruled_out_by.at("repeatable-read"), std::vector<std::string>{"G-single"});
  EXPECT_TRUE(Contains(r.models_ok, "read-committed"));
}

// ---------------------------------------------------------------- GSIb

TEST(GSIb_6_2, MissedEffectsIsReportedWithItsSingleAntiDependency) {
  // T2 sees T1's write of y but not of x: one rw edge, one wr edge.
  HistoryBuilder b;
  b.Invoke(0, "[[:w :x 1] [:w :y 1]]")
      .Invoke(1, "[[:r :x nil] [:r :y nil]]")
      .Ok(0, "[[:w :x 1] [:w :y 1]]")
      .Ok(1, "[[:r :x nil] [:r :y 1]]");
  const IsolationReport r = AnalyzeIsolation(b.Build());
  const IsolationAnomaly* a = Find(r, "GSIb");
  ASSERT_NE(a, nullptr) << Dump(r);
  EXPECT_TRUE(HasType(r, "G-single"));
  EXPECT_EQ(a->ops.size(), 2u);
  EXPECT_NE(a->explanation.find("-rw->"), std::string::npos) << a->explanation;
  EXPECT_NE(a->explanation.find("-wr->"), std::string::npos) << a->explanation;
  EXPECT_NE(a->explanation.find("G-SIb"), std::string::npos) << a->explanation;
  EXPECT_TRUE(Contains(r.models_violated, "snapshot-isolation"));
  EXPECT_TRUE(Contains(r.ruled_out_by.at("snapshot-isolation"), "GSIb"));
  EXPECT_TRUE(Contains(r.models_ok, "read-committed"));
}

TEST(GSIb_6_2, ConsistentSnapshotPasses) {
  HistoryBuilder b;
  b.Invoke(0, "[[:w :x 1] [:w :y 1]]")
      .Invoke(1, "[[:r :x nil] [:r :y nil]]")
      .Ok(0, "[[:w :x 1] [:w :y 1]]")
      .Ok(1, "[[:r :x 1] [:r :y 1]]");
  ExpectValid(b);
}

TEST(GSIb_6_2, StartDependencyCycleIsRealtimeVariant) {
  // T1 committed (completed) before T2 started (was invoked): a
  // start-dependency T1 -> T2. T2 misses T1's append: T2 -rw-> T1. One
  // anti-dependency plus one start-dependency: G-SIb in the start-ordered
  // graph. It needs start points inside the invocation interval (strong SI),
  // so generalised snapshot-isolation still holds; strict serializability
  // does not.
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1] [:append :y 1]]").Txn(1, "[[:r :x []] [:r :y []]]");
  const IsolationReport r = AnalyzeIsolation(b.Build());
  const IsolationAnomaly* a = Find(r, "GSIb-realtime");
  ASSERT_NE(a, nullptr) << Dump(r);
  EXPECT_FALSE(HasType(r, "GSIb"));
  EXPECT_NE(a->explanation.find("T1 completed at index 1, before T2 was invoked at index 2"), std::string::npos)
      << a->explanation;
  EXPECT_NE(a->explanation.find("start-dependency"), std::string::npos) << a->explanation;
  EXPECT_NE(a->explanation.find("T2 -rw-> T1"), std::string::npos) << a->explanation;
  EXPECT_TRUE(Contains(r.models_violated, "strict-serializable"));
  EXPECT_TRUE(Contains(r.models_ok, "snapshot-isolation")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_ok, "serializable")) << Dump(r);
}

TEST(GSIb_6_2, OwnSessionStartDependencyIsProcessVariant) {
  // The same within one process: its own earlier commit is missed. Strong
  // session SI (start points after the session's previous commit) forbids it.
  HistoryBuilder b;
  b.Txn(0, "[[:w :x 1]]").Txn(0, "[[:r :x nil]]");
  const IsolationReport r = AnalyzeIsolation(b.Build());
  const IsolationAnomaly* a = Find(r, "GSIb-process");
  ASSERT_NE(a, nullptr) << Dump(r);
  EXPECT_NE(a->explanation.find("process 0 executed T1 before T2"), std::string::npos) << a->explanation;
  EXPECT_TRUE(Contains(r.models_violated, "strict-serializable"));
  EXPECT_TRUE(Contains(r.models_ok, "snapshot-isolation")) << Dump(r);
  IsolationOptions o;
  o.consistency_model = "strong-session-snapshot-isolation";
  EXPECT_TRUE(CheckIsolation(b.Build(), o).illegal());
}

TEST(GSIb_6_2, OwnSessionReadingItsCommitPasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:w :x 1]]").Txn(0, "[[:r :x 1]]");
  ExpectValid(b);
}

TEST(GSIb_6_2, ReadAfterCommitSeeingEffectsPasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1] [:append :y 1]]").Txn(1, "[[:r :x [1]] [:r :y [1]]]");
  ExpectValid(b);
}

// ---------------------------------------------------------------- GSIa

TEST(GSIa_6_2, MutualDependencyIsInterference) {
  // Each overwrote the other on one key: T1 -ww-> T2 on x, T2 -ww-> T1 on y.
  // Under SI each would have had to commit before the other started.
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1] [:append :y 1]]")
      .Txn(1, "[[:append :x 2] [:append :y 2]]")
      .Txn(2, "[[:r :x [1 2]] [:r :y [2 1]]]");
  const IsolationReport r = AnalyzeIsolation(b.Build());
  const IsolationAnomaly* a = Find(r, "GSIa");
  ASSERT_NE(a, nullptr) << Dump(r);
  EXPECT_TRUE(HasType(r, "G0"));
  EXPECT_EQ(a->ops.size(), 2u);
  EXPECT_NE(a->explanation.find("T1 -ww-> T2"), std::string::npos) << a->explanation;
  EXPECT_NE(a->explanation.find("T2 -ww-> T1"), std::string::npos) << a->explanation;
  EXPECT_NE(a->explanation.find("G-SIa"), std::string::npos) << a->explanation;
  EXPECT_TRUE(Contains(r.models_violated, "snapshot-isolation"));
  EXPECT_TRUE(Contains(r.ruled_out_by.at("snapshot-isolation"), "GSIa"));
}

TEST(GSIa_6_2, OneWayOverwritePasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1] [:append :y 1]]")
      .Txn(1, "[[:append :x 2] [:append :y 2]]")
      .Txn(2, "[[:r :x [1 2]] [:r :y [1 2]]]");
  ExpectValid(b);
}

TEST(GSIa_6_2, ReadOfAWriteNotYetInvokedIsRealtimeInterference) {
  // T2 completed before T1 was invoked, yet read T1's write: T1 -wr-> T2
  // with T2 started before T1 committed. Serializable (T1 first), not strictly.
  HistoryBuilder b;
  b.Txn(1, "[[:r :x 1]]").Txn(0, "[[:w :x 1]]");
  const IsolationReport r = AnalyzeIsolation(b.Build());
  const IsolationAnomaly* a = Find(r, "GSIa-realtime");
  ASSERT_NE(a, nullptr) << Dump(r);
  EXPECT_NE(a->explanation.find("T1 -wr-> T2"), std::string::npos) << a->explanation;
  EXPECT_NE(a->explanation.find("T2 -realtime-> T1"), std::string::npos) << a->explanation;
  EXPECT_TRUE(Contains(r.models_violated, "strict-serializable"));
  EXPECT_TRUE(Contains(r.models_ok, "serializable")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_ok, "snapshot-isolation")) << Dump(r);
}

TEST(GSIa_6_2, SameProcessIsProcessVariant) {
  HistoryBuilder b;
  b.Txn(0, "[[:r :x 1]]").Txn(0, "[[:w :x 1]]");
  const IsolationReport r = AnalyzeIsolation(b.Build());
  ASSERT_NE(Find(r, "GSIa-process"), nullptr) << Dump(r);
  EXPECT_FALSE(HasType(r, "GSIa-realtime"));  // implied, not searched again
  EXPECT_TRUE(Contains(r.models_violated, "strict-serializable"));
  EXPECT_TRUE(Contains(r.models_ok, "serializable"));
}

TEST(GSIa_6_2, ReadAfterTheWriteCompletedPasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:w :x 1]]").Txn(1, "[[:r :x 1]]");
  ExpectValid(b);
}

}  // namespace
}  // namespace txlab::isolation::testing
