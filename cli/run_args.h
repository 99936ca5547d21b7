// Parsing of `txlab run`'s structured flag values (durations, strategy
// runs), separate from the CLI wiring so that tests can call it.
#ifndef TXLAB_CLI_RUN_ARGS_H_
#define TXLAB_CLI_RUN_ARGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/runner.h"

namespace txlab {

// Splits on `sep`, dropping empty pieces.
std::vector<std::string> Split(const std::string& s, char sep);

// "5s", "500ms", "20us", "100ns", "2m", "1.5" (seconds) to nanoseconds;
// -1 if malformed.
int64_t ParseDurationNs(const std::string& s);

// --strategy: comma-separated runs. An item is a strategy, or a mix of
// strategies sharing the keys in one run, "lua:0.5+watch:0.5". A list in
// which every item has a share ("lua:0.5,watch:0.5") is one mix too. "all"
// expands to every strategy. Throws std::invalid_argument with a one-line
// message naming the bad item.
std::vector<std::vector<StrategyShare>> ParseStrategyRuns(const std::string& spec);

}  // namespace txlab

#endif  // TXLAB_CLI_RUN_ARGS_H_
