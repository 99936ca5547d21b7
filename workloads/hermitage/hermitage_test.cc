// The Hermitage table, rerun and held to results/hermitage/expected.tsv; the
// checked-in table.tsv must be what this commit generates.
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

TEST(Hermitage, TableMatchesExpectations) {
  const std::string dir = TXLAB_HERMITAGE_RESULTS;
  std::string error;
  std::vector<Expectation> expected = ParseExpectations(ReadFile(dir + "/expected.tsv"), &error);
  ASSERT_EQ(error, "");
  ASSERT_FALSE(expected.empty());
  ExploreOptions options;
  std::vector<CellResult> cells = RunTable(options);
  for (const CellResult& c : cells) EXPECT_TRUE(c.complete) << c.scenario << " " << c.strategy;
  for (const std::string& d : CompareWithExpectations(cells, expected)) ADD_FAILURE() << d;
  // The checked-in table is this commit's (regenerate with
  // txlab_hermitage_table --out results/hermitage).
  EXPECT_EQ(ReadFile(dir + "/table.tsv"), FormatTsv(cells));
}

}  // namespace
}  // namespace txlab::hermitage
