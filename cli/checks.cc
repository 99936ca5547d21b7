#include "cli/checks.h"

#include "workloads/self_check.h"

#ifdef TXLAB_HAVE_INVARIANTS
#include "checkers/invariants/bank.h"
#include "checkers/invariants/counter.h"
#endif
#ifdef TXLAB_HAVE_ISOLATION
#include "checkers/isolation/isolation.h"
#endif

namespace txlab {

CaseVerdicts CheckCase(const Workload& workload, const History& history, const CheckOptions& options) {
  CaseVerdicts v;
  const std::string_view name = workload.name();
  if (name == "bank") {
#ifdef TXLAB_HAVE_INVARIANTS
    v.invariant = CheckBank(history, workload.ExpectedTotal());
#else
    v.invariant = SelfCheckBank(history, workload.ExpectedTotal());
#endif
  } else if (name == "counter") {
#ifdef TXLAB_HAVE_INVARIANTS
    v.invariant = CheckCounter(history);
#else
    v.invariant = SelfCheckCounter(history);
#endif
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
#ifdef TXLAB_HAVE_INVARIANTS
  s += "invariants (checkers/invariants)";
#else
  s += "invariants (workloads self-check)";
#endif
#ifdef TXLAB_HAVE_ISOLATION
  s += ", isolation (checkers/isolation)";
#else
  s += ", isolation: not built";
#endif
  return s;
}

}  // namespace txlab
