// The Hermitage table: anomaly × strategy → prevented / observed, from
// ExploreCell over every scenario and strategy; its TSV and Markdown forms;
// and the expectations file it is held to (results/hermitage/expected.tsv).
//
// table.tsv columns (one row per cell, scenarios then strategies in table
// order):
//   anomaly strategy verdict primary schedules anomalous complete elle
// verdict and primary are "observed" or "prevented"; elle lists the anomaly
// types the isolation checker reported over all runs ("-" for none, "n/a"
// when the scenario is not rw-register shaped).
//
// expected.tsv: '#' comments and a header line, then
//   anomaly strategy expected reason
// with expected "observed" or "prevented"; every cell of the table needs
// exactly one row.
#ifndef TXLAB_WORKLOADS_HERMITAGE_TABLE_H_
#define TXLAB_WORKLOADS_HERMITAGE_TABLE_H_

#include <string>
#include <vector>

#include "workloads/hermitage/explorer.h"

namespace txlab::hermitage {

// The columns of the table, in order: lua (the non-interactive baseline),
// watch, the four lock variants, the negative controls, then the four lock
// variants again with stalls ("lock/stall": a preemption may come with a
// stall longer than a lease, see interleaver.h), then lock-2pc and
// lock-2pc/stall. Each is an ExploreCell strategy argument.
const std::vector<std::string>& TableStrategies();

// Runs every scenario against every strategy of `strategies` (default: all
// of TableStrategies()), scenarios then strategies in table order.
std::vector<CellResult> RunTable(const ExploreOptions& options = {});
std::vector<CellResult> RunTable(const ExploreOptions& options, const std::vector<std::string>& strategies);

// The rows of a table.tsv text (header kept) whose strategy is one of
// `strategies`: what FormatTsv gives for RunTable(options, strategies).
std::string FilterTsv(const std::string& tsv, const std::vector<std::string>& strategies);

std::string FormatTsv(const std::vector<CellResult>& cells);
// The grid, then per observed cell its witness, then the options used.
std::string FormatMarkdown(const std::vector<CellResult>& cells, const ExploreOptions& options);

struct Expectation {
  std::string anomaly;
  std::string strategy;
  std::string expected;  // "observed" | "prevented"
  std::string reason;
};

// Parses expected.tsv. Sets *error and returns {} on a malformed line.
std::vector<Expectation> ParseExpectations(const std::string& text, std::string* error);

// One line per disagreement between the table and the expectations (a cell
// without an expectation, an expectation without a cell, a differing
// verdict); empty when they agree.
std::vector<std::string> CompareWithExpectations(const std::vector<CellResult>& cells,
                                                 const std::vector<Expectation>& expected);

}  // namespace txlab::hermitage

#endif  // TXLAB_WORKLOADS_HERMITAGE_TABLE_H_
