#include "cli/checks.h"

#include "checkers/invariants/bank.h"
#include "checkers/invariants/counter.h"
#ifdef TXLAB_HAVE_ISOLATION
#include "checkers/isolation/isolation.h"
#endif

namespace txlab {

History OpsOfStrategy(const History& history, const std::vector<uint8_t>& op_strategy, uint8_t s) {
  History out;
  for (size_t i = 0; i < history.size() && i < op_strategy.size(); ++i) {
    if (op_strategy[i] == s) out.push_back(history[i]);
  }
  return out;
}

namespace {

// Mixed runs: per strategy, what the combined history shows about it.
std::vector<StrategyFindings> FindingsPerStrategy(const Workload& workload, const RunOutput& out,
                                                  const CheckOptions& options) {
  const size_t n = out.metrics.size();
  std::vector<StrategyFindings> f(n);
  if (out.op_strategy.size() != out.history.size()) return f;
  const std::string_view name = workload.name();
  if (name == "bank") {
    // Each read is judged alone against the constant total: the verdict
    // over one strategy's reads is the combined verdict restricted to them.
    for (size_t s = 0; s < n; ++s) {
      f[s].reads = CheckBank(OpsOfStrategy(out.history, out.op_strategy, static_cast<uint8_t>(s)),
                             workload.ExpectedTotal());
    }
  } else if (name != "counter") {
#ifdef TXLAB_HAVE_ISOLATION
    IsolationOptions o;
    o.consistency_model = options.isolation_model;
    const IsolationReport report = AnalyzeIsolation(out.history, o);
    for (const IsolationAnomaly& a : report.anomalies) {
      std::vector<bool> in(n, false);
      size_t kinds = 0;
      for (int64_t i : a.ops) {
        if (i < 0 || static_cast<size_t>(i) >= out.op_strategy.size()) continue;
        const uint8_t s = out.op_strategy[i];
        if (s < n && !in[s]) {
          in[s] = true;
          ++kinds;
        }
      }
      for (size_t s = 0; s < n; ++s) {
        if (!in[s]) continue;
        ++(kinds == 1 ? f[s].own_anomalies : f[s].shared_anomalies)[a.type];
      }
    }
    for (StrategyFindings& x : f) x.isolation_checked = report.input_ok;
#else
    (void)options;
#endif
  }
  // counter: each read is bounded by every strategy's increments; nothing
  // sound can be said per strategy beyond the metrics.
  return f;
}

}  // namespace

CaseVerdicts CheckCase(const Workload& workload, const RunOutput& output, const CheckOptions& options) {
  CaseVerdicts v;
  const History& history = output.history;
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
  if (output.metrics.size() > 1) v.per_strategy = FindingsPerStrategy(workload, output, options);
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
