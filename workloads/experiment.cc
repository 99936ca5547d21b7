#include "workloads/experiment.h"

#include <chrono>
#include <ostream>
#include <stdexcept>

#include <fmt/format.h>

namespace txlab {

std::vector<CaseResult> RunExperiment(const ExperimentSpec& spec, const CaseChecker& check,
                                      std::ostream* progress) {
  std::vector<CaseResult> results;
  const size_t total = spec.workloads.size() * spec.strategy_runs.size();
  // Validate everything before running anything.
  for (const std::string& w : spec.workloads) {
    for (const auto& s : spec.strategy_runs) {
      RunConfig c = spec.base;
      c.workload = w;
      c.strategies = s;
      ValidateConfig(c);
      WorkloadFor(c);
    }
  }
  std::unique_ptr<Runner> runner;
  if (spec.target_factory) {
    if (spec.base.runner != "threads") throw std::invalid_argument("a network target needs the threads runner");
    runner = MakeThreadRunner(spec.target_factory);
  } else {
    runner = MakeRunner(spec.base.runner);
  }
  if (!runner) throw std::invalid_argument("unknown runner '" + spec.base.runner + "'");
  for (const std::string& w : spec.workloads) {
    for (const auto& s : spec.strategy_runs) {
      CaseResult r;
      r.config = spec.base;
      r.config.workload = w;
      r.config.strategies = s;
      r.config.progress = progress;
      if (progress) {
        *progress << fmt::format("[{}/{}] {} × {} ({} runner, {} clients)\n", results.size() + 1, total, w,
                                 r.config.StrategyLabel(), r.config.runner, r.config.clients)
                  << std::flush;
      }
      r.output = runner->Run(r.config);
      const auto t0 = std::chrono::steady_clock::now();
      if (check && r.config.record) {
        std::unique_ptr<Workload> workload = WorkloadFor(r.config);
        r.verdicts = check(*workload, r.output);
      }
      r.check_ns =
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
      r.config.progress = nullptr;
      if (progress) {
        uint64_t txns = 0;
        for (const StrategyMetrics& m : r.output.metrics) txns += m.txns;
        *progress << fmt::format("      {} txns, {} history ops; ran {:.2f}s, checked {:.2f}s (wall)\n", txns,
                                 r.output.history.size(), r.output.wall_ns / 1e9, r.check_ns / 1e9)
                  << std::flush;
      }
      results.push_back(std::move(r));
    }
  }
  return results;
}

}  // namespace txlab
