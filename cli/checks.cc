#include "cli/checks.h"

#include "checkers/invariants/bank.h"
#include "checkers/invariants/counter.h"
#ifdef TXLAB_HAVE_ISOLATION
#include "checkers/isolation/isolation.h"
#endif

namespace txlab {

CaseVerdicts CheckCase(const Workload& workload, const History& history, const CheckOptions& options) {
  CaseVerdicts v;
  const std::string_view name = workload.name();
  if (name == "bank") {
    v.invariant = CheckBank(history, workload.ExpectedTotal());
  } else if (name == "counter") {
    v.invariant = CheckCounter(history);
  } else {
#ifdef TXLAB_HAVE_ISOLATION
    IsolationOptions o;
    o.consistency_model = options.isolation_model;
    v.isolation = CheckIsolation(history, o);
#endif
  }
  return v;
}

std::string CheckersAvailable() {
  std::string s;
  s += "invariants (checkers/invariants)";
#ifdef TXLAB_HAVE_ISOLATION
  s += ", isolation (checkers/isolation)";
#else
  s += ", isolation: not built";
#endif
  return s;
}

}  // namespace txlab
