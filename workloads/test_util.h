// Helpers shared by the workloads tests.
#ifndef TXLAB_WORKLOADS_TEST_UTIL_H_
#define TXLAB_WORKLOADS_TEST_UTIL_H_

#include <cstdlib>
#include <string>

#include "workloads/runner.h"
#include "checkers/invariants/bank.h"
#include "checkers/invariants/counter.h"

namespace txlab {

// Loops shrink under sanitizers (scripts/test sets TXLAB_SANITIZED=1).
inline bool Sanitized() {
  const char* s = std::getenv("TXLAB_SANITIZED");
  return s && *s && std::string(s) != "0";
}
inline int Scaled(int n) { return Sanitized() ? (n + 3) / 4 : n; }

inline RunConfig SmallConfig(const std::string& workload, const std::string& strategy, const std::string& runner,
                             uint64_t seed) {
  RunConfig c;
  c.workload = workload;
  c.strategies = {{strategy, 1.0}};
  c.runner = runner;
  c.seed = seed;
  c.clients = 6;
  c.ops = 300;
  return c;
}

// The invariant verdict of a bank or counter run.
inline Verdict InvariantOf(const RunConfig& c, const RunOutput& out) {
  if (c.workload == "bank") {
    return CheckBank(out.history, int64_t{c.workload_options.accounts} * c.workload_options.initial_balance);
  }
  return CheckCounter(out.history);
}

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_TEST_UTIL_H_
