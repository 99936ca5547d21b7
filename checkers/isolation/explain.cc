#include "checkers/isolation/explain.h"

namespace txlab::isolation {

namespace {

std::string ExplainOrder(const TxnTable& t, uint32_t a, uint32_t b, RelSet rel, const std::string& an,
                         const std::string& bn) {
  if (rel == kProcess) {
    return "process " + std::to_string(t.txns[a].process) + " executed " + an + " before " + bn;
  }
  const auto index_at = [&](uint32_t pos) {
    const int64_t i = t.history ? (*t.history)[pos].index : -1;
    return std::to_string(i >= 0 ? i : pos);
  };
  return an + " completed at index " + index_at(t.txns[a].complete_pos) + ", before " + bn +
         " was invoked at index " + index_at(t.txns[b].invoke_pos);
}

}  // namespace

std::string RenderCycle(const TxnTable& t, const EdgeExplainer& data, const Anomaly& a) {
  const size_t n = a.txns.size();
  std::string s = a.type + ": a cycle of " + std::to_string(n) + " transactions";
  auto name = [](size_t i) { return "T" + std::to_string(i + 1); };
  for (size_t i = 0; i < n; ++i) {
    s += "\n  " + name(i) + " = " + t.Label(a.txns[i]) + " " + t.MopsText(a.txns[i]);
  }
  for (size_t i = 0; i < n; ++i) {
    const size_t j = (i + 1) % n;
    const RelSet rel = a.steps[i];
    const std::string why = (rel & (kDataRels | kProcessInferred | kRealtimeInferred)) ? data.Explain(a.txns[i], a.txns[j], rel, name(i), name(j))
                                              : ExplainOrder(t, a.txns[i], a.txns[j], rel, name(i), name(j));
    s += "\n  " + name(i) + " -" + RelName(rel) + "-> " + name(j) + ": " + why;
  }
  return s;
}

}  // namespace txlab::isolation
