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

struct CaseVerdicts {
  std::optional<Verdict> invariant;  // bank / counter
  std::optional<Verdict> isolation;  // list-append / rw-register / ycsb
};

// Judges one case's history. `workload` describes it (name, expected total).
using CaseChecker = std::function<CaseVerdicts(const Workload& workload, const History& history)>;

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
