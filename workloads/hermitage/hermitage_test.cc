// The Hermitage table, rerun and held to results/hermitage/expected.tsv; the
// checked-in table.tsv must be what this commit generates.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "workloads/hermitage/table.h"

namespace txlab::hermitage {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const Scenario& Find(const std::string& id) {
  for (const Scenario& s : Scenarios()) {
    if (s.id == id) return s;
  }
  throw std::logic_error(id);
}

TEST(Hermitage, DataCommands) {
  EXPECT_TRUE(IsDataCommand({"SET", "k1", "11"}));
  EXPECT_TRUE(IsDataCommand({"exec"}));
  EXPECT_FALSE(IsDataCommand({"WATCH", "k1", "k2"}));
  EXPECT_FALSE(IsDataCommand({"SET", "lock:k1", "t", "NX", "PX", "100"}));
  EXPECT_FALSE(IsDataCommand({"MULTI"}));
}

// Hermitage's own step order already shows the negative controls failing
// and the protected strategies holding.
TEST(Hermitage, PrimaryScheduleOfLostUpdate) {
  ExploreOptions o;
  o.preemption_bound = 0;
  EXPECT_TRUE(ExploreCell(Find("P4"), "naive", o).primary_observed);
  EXPECT_TRUE(ExploreCell(Find("P4"), "multi-no-watch", o).primary_observed);
  EXPECT_FALSE(ExploreCell(Find("P4"), "watch", o).primary_observed);
  EXPECT_FALSE(ExploreCell(Find("P4"), "lock", o).primary_observed);
}

// A stall past the lease lets a second client into the lock: unfenced
// writes land anyway (lost update), fenced ones are refused and retried.
TEST(Hermitage, StallBreaksUnfencedLocks) {
  ExploreOptions o;
  o.preemption_bound = 1;
  o.primary = false;
  EXPECT_FALSE(ExploreCell(Find("P4"), "lock", o).observed);
  CellResult stalled = ExploreCell(Find("P4"), "lock/stall", o);
  EXPECT_TRUE(stalled.observed);
  EXPECT_TRUE(stalled.elle_anomalies.count("lost-update"));
  EXPECT_FALSE(ExploreCell(Find("P4"), "lock-fenced/stall", o).observed);
  EXPECT_THROW(ExploreCell(Find("P4"), "lock/pause", o), std::runtime_error);
}

// Without preemptions every client runs alone: a serial history, which no
// check may flag and in which the isolation checker finds nothing.
TEST(Hermitage, SerialSchedulesAreClean) {
  ExploreOptions o;
  o.preemption_bound = 0;
  o.primary = false;
  for (const Scenario& s : Scenarios()) {
    for (const std::string& st : TableStrategies()) {
      CellResult c = ExploreCell(s, st, o);
      EXPECT_EQ(c.anomalous, 0u) << s.id << " " << st << ": " << c.witness;
      EXPECT_TRUE(c.elle_anomalies.empty()) << s.id << " " << st;
    }
  }
}

TEST(Hermitage, ParseExpectations) {
  std::string error;
  auto e = ParseExpectations("# c\nanomaly\tstrategy\texpected\treason\nG0\twatch\tprevented\tMULTI\n", &error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].strategy, "watch");
  ParseExpectations("h\nG0\twatch\tmaybe\tx\n", &error);
  EXPECT_NE(error, "");
}

// The lock-2pc columns run as their own test (a ctest case of their own, so
// `ctest -j2` runs the two halves side by side); together they are the
// whole table.
const std::vector<std::string> kLock2pcColumns = {"lock-2pc", "lock-2pc/stall"};

std::vector<std::string> OtherColumns() {
  std::vector<std::string> out;
  for (const std::string& st : TableStrategies()) {
    if (std::find(kLock2pcColumns.begin(), kLock2pcColumns.end(), st) == kLock2pcColumns.end()) out.push_back(st);
  }
  return out;
}

// Reruns the columns `strategies` and holds them to expected.tsv and to
// their rows of the checked-in table.tsv.
void CheckColumns(const std::vector<std::string>& strategies) {
  const std::string dir = TXLAB_HERMITAGE_RESULTS;
  std::string error;
  std::vector<Expectation> expected;
  for (const Expectation& e : ParseExpectations(ReadFile(dir + "/expected.tsv"), &error)) {
    if (std::find(strategies.begin(), strategies.end(), e.strategy) != strategies.end()) expected.push_back(e);
  }
  ASSERT_EQ(error, "");
  ASSERT_EQ(expected.size(), Scenarios().size() * strategies.size());
  ExploreOptions options;
  std::vector<CellResult> cells = RunTable(options, strategies);
  for (const CellResult& c : cells) EXPECT_TRUE(c.complete) << c.scenario << " " << c.strategy;
  for (const std::string& d : CompareWithExpectations(cells, expected)) ADD_FAILURE() << d;
  // The checked-in table is this commit's (regenerate with
  // txlab_hermitage_table --out results/hermitage).
  EXPECT_EQ(FilterTsv(ReadFile(dir + "/table.tsv"), strategies), FormatTsv(cells));
}

TEST(Hermitage, FilterTsvKeepsHeaderAndColumns) {
  const std::string tsv = "anomaly\tstrategy\tverdict\nG0\tlua\tprevented\nG0\tlock-2pc\tprevented\n";
  EXPECT_EQ(FilterTsv(tsv, {"lock-2pc"}), "anomaly\tstrategy\tverdict\nG0\tlock-2pc\tprevented\n");
  EXPECT_EQ(FilterTsv(tsv, {"lua", "lock-2pc"}), tsv);
  EXPECT_EQ(FilterTsv(tsv, {"lock"}), "anomaly\tstrategy\tverdict\n");
}

// What the two halves below do not see: rows of expected.tsv or table.tsv
// for a column the table does not have.
TEST(Hermitage, FilesNameOnlyTableColumns) {
  const std::string dir = TXLAB_HERMITAGE_RESULTS;
  std::string error;
  for (const Expectation& e : ParseExpectations(ReadFile(dir + "/expected.tsv"), &error)) {
    const auto& all = TableStrategies();
    EXPECT_NE(std::find(all.begin(), all.end(), e.strategy), all.end()) << e.anomaly << " " << e.strategy;
  }
  EXPECT_EQ(error, "");
  const std::string tsv = ReadFile(dir + "/table.tsv");
  EXPECT_EQ(FilterTsv(tsv, TableStrategies()), tsv);
}

TEST(Hermitage, TableMatchesExpectations) { CheckColumns(OtherColumns()); }

TEST(Hermitage, TableMatchesExpectationsLock2pc) {
  ASSERT_EQ(OtherColumns().size() + kLock2pcColumns.size(), TableStrategies().size());
  CheckColumns(kLock2pcColumns);
}

// The lock-2pc/stall column reaches lock-2pc's recovery paths, so its
// "prevented" is earned (SEMANTICS §4.3): stale coordinators refused at
// prepare (LEASELOST), intents of a lapsed coordinator resolved by the next
// lock holder, and a coordinator whose commit record lost to a resolver's
// abort record. Without stalls, no lease lapses and no intent is ever met.
TEST(Hermitage, Lock2pcStallsReachRecoveryPaths) {
  ExploreOptions o;
  o.primary = false;
  o.elle = false;
  CellResult stalled = ExploreCell(Find("G2-item"), "lock-2pc/stall", o);
  EXPECT_FALSE(stalled.observed) << stalled.witness;
  EXPECT_GT(stalled.abort_reasons.Get(AbortReason::kPrepareRefused), 0u);
  EXPECT_GT(stalled.abort_reasons.Get(AbortReason::kIntentResolved), 0u);
  EXPECT_GT(stalled.abort_reasons.Get(AbortReason::kCommitPreempted), 0u);
  CellResult plain = ExploreCell(Find("G2-item"), "lock-2pc", o);
  EXPECT_FALSE(plain.observed) << plain.witness;
  EXPECT_EQ(plain.abort_reasons.Get(AbortReason::kPrepareRefused), 0u);
  EXPECT_EQ(plain.abort_reasons.Get(AbortReason::kIntentResolved), 0u);
  EXPECT_EQ(plain.abort_reasons.Get(AbortReason::kCommitPreempted), 0u);
}

}  // namespace
}  // namespace txlab::hermitage
