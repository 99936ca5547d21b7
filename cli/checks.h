// Wiring of the checkers into `txlab run`: which checker judges which
// workload's history: checkers/invariants for bank and counter,
// checkers/isolation (when built: TXLAB_HAVE_ISOLATION) for the others.
#ifndef TXLAB_CLI_CHECKS_H_
#define TXLAB_CLI_CHECKS_H_

#include <string>

#include "workloads/experiment.h"

namespace txlab {

struct CheckOptions {
  std::string isolation_model = "strict-serializable";
};

// The combined history's verdicts; for a mixed run (output.metrics has
// several strategies), also StrategyFindings per strategy.
CaseVerdicts CheckCase(const Workload& workload, const RunOutput& output, const CheckOptions& options);

// The ops of `history` whose strategy (op_strategy, by :index) is `s`.
History OpsOfStrategy(const History& history, const std::vector<uint8_t>& op_strategy, uint8_t s);

// Which checkers this build has, for --help and config.json.
std::string CheckersAvailable();

}  // namespace txlab

#endif  // TXLAB_CLI_CHECKS_H_
