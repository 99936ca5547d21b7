// Experiment: the run orchestration behind `txlab run`. A grid of workloads ×
// strategy runs (a single strategy, or a mix sharing the keys) over one base
// configuration; each case runs on a fresh store, its history is judged by
// the checkers the caller supplies, and everything is kept for the report
// and the results folder.
#ifndef TXLAB_WORKLOADS_EXPERIMENT_H_
#define TXLAB_WORKLOADS_EXPERIMENT_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checkers/common/verdict.h"
#include "workloads/runner.h"

namespace txlab {

struct ExperimentSpec {
  std::vector<std::string> workloads = {"bank"};
  std::vector<std::vector<StrategyShare>> strategy_runs = {{{"lua", 1.0}}};
  RunConfig base;  // workload and strategies are filled per case
  // Threads runner only: where clients connect (nullptr: a fresh embedded
  // engine per case). Described by base.target.
  TargetFactory target_factory;
};

// A mixed run has one history: the strategies share keys, so a history of
// one strategy's txns alone would be missing the others' writes and is not
// checkable (workloads/README.md, "Mixed runs"). What can be said per
// strategy, from the combined history:
struct StrategyFindings {
  // bank: the invariant over this strategy's reads only (each read is
  // judged on its own, so this projection is sound).
  std::optional<Verdict> reads;
  // list-append / rw-register / ycsb: the anomaly instances the isolation
  // checker kept, by type: those among this strategy's txns only (own)
  // and those that involve its txns and another strategy's (shared).
  bool isolation_checked = false;
  std::map<std::string, size_t> own_anomalies;
  std::map<std::string, size_t> shared_anomalies;
};

struct CaseVerdicts {
  std::optional<Verdict> invariant;  // bank / counter
  std::optional<Verdict> isolation;  // list-append / rw-register / ycsb
  std::vector<StrategyFindings> per_strategy;  // mixed runs only, one per strategy
};

// Judges one case. `workload` describes it (name, expected total); `output`
// holds the history, and for mixed runs the strategy of each op.
using CaseChecker = std::function<CaseVerdicts(const Workload& workload, const RunOutput& output)>;

struct CaseResult {
  RunConfig config;
  RunOutput output;
  CaseVerdicts verdicts;
  int64_t check_ns = 0;
};

// Runs every case in order (workload-major). Progress lines go to
// `progress` (may be nullptr). Throws std::invalid_argument on a bad config.
std::vector<CaseResult> RunExperiment(const ExperimentSpec& spec, const CaseChecker& check,
                                      std::ostream* progress);

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_EXPERIMENT_H_
