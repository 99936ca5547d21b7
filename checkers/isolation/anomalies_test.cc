// One hand-built history per anomaly class, reported as that class, and a
// close valid variant that must pass.
#include <gtest/gtest.h>

#include "checkers/isolation/isolation.h"
#include "checkers/isolation/test_util.h"

namespace txlab::isolation::testing {
namespace {

IsolationReport Analyze(const HistoryBuilder& b, WorkloadKind w = WorkloadKind::kDetect) {
  IsolationOptions o;
  o.workload = w;
  return AnalyzeIsolation(b.Build(), o);
}

// The valid variants must pass the strongest model.
void ExpectValid(const HistoryBuilder& b) {
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(r.input_ok) << r.input_error;
  EXPECT_TRUE(r.anomalies.empty()) << Dump(r);
  EXPECT_EQ(r.models_ok.size(), 6u) << Dump(r);
  const Verdict v = CheckIsolation(b.Build());
  EXPECT_TRUE(v.ok()) << v.summary;
  EXPECT_EQ(v.summary, "ok");
}

// ---------------------------------------------------------------- list-append

TEST(ListAppendG0, WriteCycleIsReported) {
  // x's order says T1 < T2, y's says T2 < T1.
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1] [:append :y 1]]")
      .Txn(1, "[[:append :x 2] [:append :y 2]]")
      .Txn(2, "[[:r :x [1 2]] [:r :y [2 1]]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G0")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "read-uncommitted")) << Dump(r);
  const Verdict v = CheckIsolation(b.Build());
  EXPECT_TRUE(v.illegal());
  EXPECT_NE(v.summary.find("G0"), std::string::npos);
}

TEST(ListAppendG0, ConsistentWriteOrdersPass) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1] [:append :y 1]]")
      .Txn(1, "[[:append :x 2] [:append :y 2]]")
      .Txn(2, "[[:r :x [1 2]] [:r :y [1 2]]]");
  ExpectValid(b);
}

TEST(ListAppendG1a, AbortedReadIsReported) {
  HistoryBuilder b;
  b.Invoke(0, "[[:append :x 1]]").Fail(0, "[[:append :x 1]]").Txn(1, "[[:r :x [1]]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G1a")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "read-committed"));
  EXPECT_TRUE(Contains(r.models_ok, "read-uncommitted"));
}

TEST(ListAppendG1a, ReadNotSeeingAbortedAppendPasses) {
  HistoryBuilder b;
  b.Invoke(0, "[[:append :x 1]]").Fail(0, "[[:append :x 1]]").Txn(1, "[[:r :x []]]");
  ExpectValid(b);
}

TEST(ListAppendG1b, IntermediateReadIsReported) {
  HistoryBuilder b;
  b.Invoke(0, "[[:append :x 1] [:append :x 2]]")
      .Txn(1, "[[:r :x [1]]]")
      .Ok(0, "[[:append :x 1] [:append :x 2]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G1b")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "read-committed"));
}

TEST(ListAppendG1b, ReadOfFinalStatePasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1] [:append :x 2]]").Txn(1, "[[:r :x [1 2]]]");
  ExpectValid(b);
}

TEST(ListAppendG1c, CircularInformationFlowIsReported) {
  // Each reads the other's append.
  HistoryBuilder b;
  b.Invoke(0, "[[:append :x 1] [:r :y nil]]")
      .Invoke(1, "[[:append :y 1] [:r :x nil]]")
      .Ok(0, "[[:append :x 1] [:r :y [1]]]")
      .Ok(1, "[[:append :y 1] [:r :x [1]]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G1c")) << Dump(r);
  EXPECT_FALSE(HasType(r, "G0"));
  EXPECT_TRUE(Contains(r.models_violated, "read-committed"));
  EXPECT_TRUE(Contains(r.models_ok, "read-uncommitted"));
}

TEST(ListAppendG1c, OneWayInformationFlowPasses) {
  HistoryBuilder b;
  b.Invoke(0, "[[:append :x 1] [:r :y nil]]")
      .Invoke(1, "[[:append :y 1] [:r :x nil]]")
      .Ok(0, "[[:append :x 1] [:r :y []]]")
      .Ok(1, "[[:append :y 1] [:r :x [1]]]");
  ExpectValid(b);
}

TEST(ListAppendGSingle, ReadSkewIsReported) {
  // T2 sees T1's append to y but not to x: one rw edge in the cycle.
  HistoryBuilder b;
  b.Invoke(0, "[[:append :x 1] [:append :y 1]]")
      .Invoke(1, "[[:r :x nil] [:r :y nil]]")
      .Ok(0, "[[:append :x 1] [:append :y 1]]")
      .Ok(1, "[[:r :x []] [:r :y [1]]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G-single")) << Dump(r);
  EXPECT_FALSE(HasType(r, "G2-item"));
  EXPECT_TRUE(Contains(r.models_violated, "snapshot-isolation"));
  EXPECT_TRUE(Contains(r.models_violated, "serializable"));
  EXPECT_TRUE(Contains(r.models_ok, "read-committed"));
  // The cycle is spelled out edge by edge.
  for (const auto& a : r.anomalies) {
    if (a.type != "G-single") continue;
    EXPECT_EQ(a.ops.size(), 2u);
    EXPECT_NE(a.explanation.find("-rw->"), std::string::npos) << a.explanation;
    EXPECT_NE(a.explanation.find("-wr->"), std::string::npos) << a.explanation;
  }
}

TEST(ListAppendGSingle, ConsistentSnapshotPasses) {
  HistoryBuilder b;
  b.Invoke(0, "[[:append :x 1] [:append :y 1]]")
      .Invoke(1, "[[:r :x nil] [:r :y nil]]")
      .Ok(0, "[[:append :x 1] [:append :y 1]]")
      .Ok(1, "[[:r :x [1]] [:r :y [1]]]");
  ExpectValid(b);
}

TEST(ListAppendG2Item, WriteSkewIsReported) {
  HistoryBuilder b;
  b.Invoke(0, "[[:r :x nil] [:r :y nil] [:append :x 1]]")
      .Invoke(1, "[[:r :x nil] [:r :y nil] [:append :y 1]]")
      .Ok(0, "[[:r :x []] [:r :y []] [:append :x 1]]")
      .Ok(1, "[[:r :x []] [:r :y []] [:append :y 1]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G2-item")) << Dump(r);
  EXPECT_FALSE(HasType(r, "G-single"));
  EXPECT_TRUE(Contains(r.models_violated, "repeatable-read"));
  EXPECT_TRUE(Contains(r.models_violated, "serializable"));
  EXPECT_TRUE(Contains(r.models_ok, "snapshot-isolation")) << Dump(r);
}

TEST(ListAppendG2Item, SerialOrderPasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:r :x []] [:r :y []] [:append :x 1]]").Txn(1, "[[:r :x [1]] [:r :y []] [:append :y 1]]");
  ExpectValid(b);
}

TEST(ListAppendGNonadjacent, TwoSeparatedAntiDependenciesAreReported) {
  // T1 -rw-> T2 -wr-> T3 -rw-> T4 -wr-> T1.
  HistoryBuilder b;
  b.Invoke(0, "[[:r :a nil] [:r :d nil]]")
      .Invoke(1, "[[:append :a 1] [:append :b 1]]")
      .Invoke(2, "[[:r :b nil] [:r :c nil]]")
      .Invoke(3, "[[:append :c 1] [:append :d 1]]")
      .Ok(0, "[[:r :a []] [:r :d [1]]]")
      .Ok(1, "[[:append :a 1] [:append :b 1]]")
      .Ok(2, "[[:r :b [1]] [:r :c []]]")
      .Ok(3, "[[:append :c 1] [:append :d 1]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G-nonadjacent")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "snapshot-isolation"));
  // Its rw edges are item anti-dependencies, so it is also Adya's G2-item
  // (G-nonadjacent-item): not repeatable-read either.
  EXPECT_TRUE(Contains(r.models_violated, "repeatable-read")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_ok, "read-committed")) << Dump(r);
}

TEST(ListAppendGNonadjacent, ConsistentReadsPass) {
  HistoryBuilder b;
  b.Invoke(0, "[[:r :a nil] [:r :d nil]]")
      .Invoke(1, "[[:append :a 1] [:append :b 1]]")
      .Invoke(2, "[[:r :b nil] [:r :c nil]]")
      .Invoke(3, "[[:append :c 1] [:append :d 1]]")
      .Ok(0, "[[:r :a [1]] [:r :d [1]]]")
      .Ok(1, "[[:append :a 1] [:append :b 1]]")
      .Ok(2, "[[:r :b [1]] [:r :c []]]")
      .Ok(3, "[[:append :c 1] [:append :d 1]]");
  ExpectValid(b);
}

TEST(ListAppendGSingleRealtime, StaleReadAfterCompletionIsReported) {
  // T2 starts after T1 committed yet misses its append: fine for
  // serializability, not for strict serializability.
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1]]").Txn(1, "[[:r :x []]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G-single-realtime")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "strict-serializable"));
  EXPECT_TRUE(Contains(r.models_ok, "serializable")) << Dump(r);
  IsolationOptions o;
  o.consistency_model = "serializable";
  EXPECT_TRUE(CheckIsolation(b.Build(), o).ok());
  EXPECT_TRUE(CheckIsolation(b.Build()).illegal());
}

TEST(ListAppendGSingleRealtime, FreshReadPasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1]]").Txn(1, "[[:r :x [1]]]");
  ExpectValid(b);
}

TEST(ListAppendGSingleProcess, ProcessMissingItsOwnWriteIsReported) {
  // Same process: the second txn misses the first's append. Concurrent
  // txns of other processes make the realtime order no stronger.
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1]]").Txn(0, "[[:r :x []]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G-single-process")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "strict-serializable"));
  EXPECT_TRUE(Contains(r.models_ok, "serializable"));
}

TEST(ListAppendLostUpdate, TwoReadModifyWritesOfOneStateAreReported) {
  HistoryBuilder b;
  b.Invoke(0, "[[:r :x nil] [:append :x 1]]")
      .Invoke(1, "[[:r :x nil] [:append :x 2]]")
      .Ok(0, "[[:r :x []] [:append :x 1]]")
      .Ok(1, "[[:r :x []] [:append :x 2]]")
      .Txn(2, "[[:r :x [1 2]]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "lost-update")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "snapshot-isolation"));
  EXPECT_TRUE(Contains(r.models_violated, "repeatable-read"));
  EXPECT_TRUE(Contains(r.models_ok, "read-committed"));
}

TEST(ListAppendLostUpdate, ChainedReadModifyWritesPass) {
  HistoryBuilder b;
  b.Txn(0, "[[:r :x []] [:append :x 1]]").Txn(1, "[[:r :x [1]] [:append :x 2]]").Txn(2, "[[:r :x [1 2]]]");
  ExpectValid(b);
}

TEST(ListAppendInternal, ReadMissingOwnAppendIsReported) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1] [:r :x []]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "internal")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "snapshot-isolation"));
  EXPECT_TRUE(Contains(r.models_violated, "serializable"));
}

TEST(ListAppendInternal, ReadOfOwnAppendPasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1] [:r :x [1]] [:append :x 2] [:r :x [1 2]]]");
  ExpectValid(b);
}

TEST(ListAppendDuplicateElements, RepeatedElementIsReported) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1]]").Txn(1, "[[:r :x [1 1]]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "duplicate-elements")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "read-uncommitted"));
}

TEST(ListAppendDuplicateElements, SingleCopyPasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1]]").Txn(1, "[[:r :x [1]]]");
  ExpectValid(b);
}

TEST(ListAppendIncompatibleOrder, DivergentReadsAreReported) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1]]").Txn(1, "[[:append :x 2]]").Txn(2, "[[:r :x [1 2]]]").Txn(3, "[[:r :x [2 1]]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "incompatible-order")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "read-committed"));
}

TEST(ListAppendIncompatibleOrder, PrefixReadsPass) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1]]").Txn(2, "[[:r :x [1]]]").Txn(1, "[[:append :x 2]]").Txn(3, "[[:r :x [1 2]]]");
  ExpectValid(b);
}

TEST(ListAppendGarbageRead, ElementNobodyAppendedIsReported) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1]]").Txn(1, "[[:r :x [1 9]]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "garbage-read")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "read-uncommitted"));
}

TEST(ListAppendGarbageRead, ElementsAllAppendedPass) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1]]").Txn(0, "[[:append :x 9]]").Txn(1, "[[:r :x [1 9]]]");
  ExpectValid(b);
}

TEST(ListAppendDirtyUpdate, AppendOnTopOfFailedAppendIsReported) {
  HistoryBuilder b;
  b.Invoke(0, "[[:append :x 1]]").Fail(0, "[[:append :x 1]]").Txn(1, "[[:append :x 2]]").Txn(2, "[[:r :x [1 2]]]");
  const IsolationReport r = Analyze(b);
  EXPECT_TRUE(HasType(r, "dirty-update")) << Dump(r);
  EXPECT_TRUE(HasType(r, "G1a")) << Dump(r);
}

TEST(ListAppendFutureRead, ReadingOwnLaterAppendIsReported) {
  HistoryBuilder b;
  b.Txn(0, "[[:r :x [1]] [:append :x 1]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "future-read")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "read-committed"));  // future-read implies G1c
}

TEST(ListAppendFutureRead, ReadBeforeOwnAppendPasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:r :x []] [:append :x 1] [:r :x [1]]]");
  ExpectValid(b);
}

TEST(ListAppendDirtyUpdate, AppendAfterCommittedAppendPasses) {
  HistoryBuilder b;
  b.Invoke(0, "[[:append :x 1]]").Fail(0, "[[:append :x 1]]").Txn(1, "[[:append :x 2]]").Txn(2, "[[:r :x [2]]]");
  ExpectValid(b);
}

TEST(ListAppendInfo, IndeterminateAppendMayBeVisible) {
  // An :info append can take effect; reading it is no anomaly.
  HistoryBuilder b;
  b.Invoke(0, "[[:append :x 1]]").Info(0, "[[:append :x 1]]").Txn(1, "[[:r :x [1]]]");
  ExpectValid(b);
}

TEST(ListAppendMalformed, DuplicateAppendIsUnknown) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1]]").Txn(1, "[[:append :x 1]]");
  const Verdict v = CheckIsolation(b.Build());
  EXPECT_EQ(v.outcome, Verdict::Outcome::kUnknown) << v.summary;
}

// ---------------------------------------------------------------- rw-register

TEST(RwRegisterG1c, CircularInformationFlowIsReported) {
  HistoryBuilder b;
  b.Invoke(0, "[[:w :x 1] [:r :y nil]]")
      .Invoke(1, "[[:w :y 1] [:r :x nil]]")
      .Ok(0, "[[:w :x 1] [:r :y 1]]")
      .Ok(1, "[[:w :y 1] [:r :x 1]]");
  const IsolationReport r = Analyze(b);
  EXPECT_EQ(r.workload, WorkloadKind::kRwRegister);
  ASSERT_TRUE(HasType(r, "G1c")) << Dump(r);
}

TEST(RwRegisterG1c, OneWayFlowPasses) {
  HistoryBuilder b;
  b.Invoke(0, "[[:w :x 1] [:r :y nil]]")
      .Invoke(1, "[[:w :y 1] [:r :x nil]]")
      .Ok(0, "[[:w :x 1] [:r :y nil]]")
      .Ok(1, "[[:w :y 1] [:r :x 1]]");
  ExpectValid(b);
}

TEST(RwRegisterGSingle, ReadSkewIsReported) {
  HistoryBuilder b;
  b.Invoke(0, "[[:w :x 1] [:w :y 1]]")
      .Invoke(1, "[[:r :x nil] [:r :y nil]]")
      .Ok(0, "[[:w :x 1] [:w :y 1]]")
      .Ok(1, "[[:r :x nil] [:r :y 1]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G-single")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "snapshot-isolation"));
}

TEST(RwRegisterGSingle, ConsistentSnapshotPasses) {
  HistoryBuilder b;
  b.Invoke(0, "[[:w :x 1] [:w :y 1]]")
      .Invoke(1, "[[:r :x nil] [:r :y nil]]")
      .Ok(0, "[[:w :x 1] [:w :y 1]]")
      .Ok(1, "[[:r :x 1] [:r :y 1]]");
  ExpectValid(b);
}

TEST(RwRegisterG2Item, WriteSkewIsReported) {
  HistoryBuilder b;
  b.Invoke(0, "[[:r :x nil] [:r :y nil] [:w :x 1]]")
      .Invoke(1, "[[:r :x nil] [:r :y nil] [:w :y 1]]")
      .Ok(0, "[[:r :x nil] [:r :y nil] [:w :x 1]]")
      .Ok(1, "[[:r :x nil] [:r :y nil] [:w :y 1]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G2-item")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_ok, "snapshot-isolation")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "repeatable-read"));
}

TEST(RwRegisterG1a, AbortedReadIsReported) {
  HistoryBuilder b;
  b.Invoke(0, "[[:w :x 1]]").Fail(0, "[[:w :x 1]]").Txn(1, "[[:r :x 1]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G1a")) << Dump(r);
}

TEST(RwRegisterG1a, NilReadAfterAbortPasses) {
  HistoryBuilder b;
  b.Invoke(0, "[[:w :x 1]]").Fail(0, "[[:w :x 1]]").Txn(1, "[[:r :x nil]]");
  ExpectValid(b);
}

TEST(RwRegisterG1b, IntermediateReadIsReported) {
  HistoryBuilder b;
  b.Invoke(0, "[[:w :x 1] [:w :x 2]]").Txn(1, "[[:r :x 1]]").Ok(0, "[[:w :x 1] [:w :x 2]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "G1b")) << Dump(r);
}

TEST(RwRegisterG1b, FinalValueReadPasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:w :x 1] [:w :x 2]]").Txn(1, "[[:r :x 2]]");
  ExpectValid(b);
}

TEST(RwRegisterInternal, ReadDisagreeingWithOwnWriteIsReported) {
  HistoryBuilder b;
  b.Txn(0, "[[:w :x 1] [:r :x 2]]").Txn(1, "[[:w :x 2]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "internal")) << Dump(r);
}

TEST(RwRegisterInternal, ReadOfOwnWritePasses) {
  HistoryBuilder b;
  b.Txn(0, "[[:w :x 1] [:r :x 1]]");
  ExpectValid(b);
}

TEST(RwRegisterLostUpdate, TwoWritersOfOneReadStateAreReported) {
  HistoryBuilder b;
  b.Invoke(0, "[[:r :x nil] [:w :x 1]]")
      .Invoke(1, "[[:r :x nil] [:w :x 2]]")
      .Ok(0, "[[:r :x nil] [:w :x 1]]")
      .Ok(1, "[[:r :x nil] [:w :x 2]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "lost-update")) << Dump(r);
  EXPECT_TRUE(Contains(r.models_violated, "repeatable-read"));
}

TEST(RwRegisterLostUpdate, ChainedWritersPass) {
  HistoryBuilder b;
  b.Txn(0, "[[:r :x nil] [:w :x 1]]").Txn(1, "[[:r :x 1] [:w :x 2]]");
  ExpectValid(b);
}

TEST(RwRegisterGarbageRead, ValueNobodyWroteIsReported) {
  HistoryBuilder b;
  b.Txn(0, "[[:w :x 1]]").Txn(1, "[[:r :x 7]]");
  const IsolationReport r = Analyze(b);
  ASSERT_TRUE(HasType(r, "garbage-read")) << Dump(r);
}

TEST(RwRegisterWfr, WritesFollowReadsOrdersVersions) {
  // With wfr: T2 read 1 then wrote 2, so 1 < 2; T3 read 2 and T1 wrote 1
  // after reading... T1 -ww-> T2 (1 < 2). T3 read x = 1 after T2's 2 was
  // read by T4: rw T3 -> T2. T2 -wr-> T4, T4 reads y written by T3? Keep it
  // small: check only that a ww edge appears in a G0 cycle.
  HistoryBuilder b;
  b.Txn(0, "[[:r :x nil] [:w :x 1] [:r :y 2] [:w :y 3]]").Txn(1, "[[:r :y nil] [:w :y 2] [:r :x 1] [:w :x 2]]");
  IsolationOptions o;
  o.wfr_keys = true;
  const IsolationReport r = AnalyzeIsolation(b.Build(), o);
  EXPECT_TRUE(HasType(r, "G1c") || HasType(r, "G0")) << Dump(r);
}

TEST(Workload, ElleCliJsonHistoryIsChecked) {
  // elle-cli's JSON spelling of the G-single read skew.
  const char* json = R"([
{"type":"invoke","process":0,"f":"txn","value":[["append","x",1],["append","y",1]],"index":0},
{"type":"invoke","process":1,"f":"txn","value":[["r","x",null],["r","y",null]],"index":1},
{"type":"ok","process":0,"f":"txn","value":[["append","x",1],["append","y",1]],"index":2},
{"type":"ok","process":1,"f":"txn","value":[["r","x",[]],["r","y",[1]]],"index":3}
])";
  History h;
  const ParseError e = ReadJsonHistory(json, &h);
  ASSERT_TRUE(e.ok) << e.ToString();
  const IsolationReport r = AnalyzeIsolation(h);
  EXPECT_TRUE(HasType(r, "G-single")) << Dump(r);
}

TEST(Workload, MixedMicroOpsAreRejected) {
  HistoryBuilder b;
  b.Txn(0, "[[:append :x 1] [:w :y 2]]");
  const Verdict v = CheckIsolation(b.Build());
  EXPECT_EQ(v.outcome, Verdict::Outcome::kUnknown);
}

TEST(Workload, EmptyHistoryIsUnknown) {
  const Verdict v = CheckIsolation(History{});
  EXPECT_EQ(v.outcome, Verdict::Outcome::kUnknown);
}

}  // namespace
}  // namespace txlab::isolation::testing
