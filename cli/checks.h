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

CaseVerdicts CheckCase(const Workload& workload, const History& history, const CheckOptions& options);

// Which checkers this build has, for --help and config.json.
std::string CheckersAvailable();

}  // namespace txlab

#endif  // TXLAB_CLI_CHECKS_H_
