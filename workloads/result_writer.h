// Result folders: everything needed to understand and repeat a run.
//
//   <dir>/config.json    the experiment's full configuration, seed, git
//                        commit, machine (hostname, nproc, CPU model), time
//   <dir>/metrics.json   per case and strategy: throughput, commits, aborts
//                        by reason, retries/commit, give-ups, commands per
//                        commit, latency percentiles
//   <dir>/verdicts.json  per case: each checker's verdict
//   <dir>/<workload>/<strategy>/history.edn, history.json; for a mixed
//                        run also op-strategy.json (the strategy of each op)
#ifndef TXLAB_WORKLOADS_RESULT_WRITER_H_
#define TXLAB_WORKLOADS_RESULT_WRITER_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workloads/experiment.h"

namespace txlab {

// "20261125-161502-s42": UTC time and seed.
std::string NewRunId(uint64_t seed);
// `git rev-parse HEAD` of the working directory ("+dirty" if modified), or "unknown".
std::string GitCommit();
// {"hostname", "nproc", "cpu_model", "os"}.
nlohmann::json MachineInfo();

// Writes the folder (created if needed). `command_line` is recorded in
// config.json. Returns false and sets *error on an I/O failure.
bool WriteResults(const std::string& dir, const ExperimentSpec& spec, const std::vector<CaseResult>& results,
                  const std::string& command_line, std::string* error);

nlohmann::json VerdictToJson(const Verdict& v);

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_RESULT_WRITER_H_
