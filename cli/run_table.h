// The comparison table `txlab run` prints: one row per workload × strategy.
#ifndef TXLAB_CLI_RUN_TABLE_H_
#define TXLAB_CLI_RUN_TABLE_H_

#include <string>
#include <vector>

#include "workloads/experiment.h"

namespace txlab {

std::string FormatRunTable(const std::vector<CaseResult>& results);

// "1.5s", "250ms", "40us", "800ns".
std::string FormatDuration(int64_t ns);

}  // namespace txlab

#endif  // TXLAB_CLI_RUN_TABLE_H_
