#include "checkers/isolation/isolation.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>

#include "checkers/isolation/anomaly.h"
#include "checkers/isolation/consistency_models.h"
#include "checkers/isolation/cycle_search.h"
#include "checkers/isolation/dep_graph.h"
#include "checkers/isolation/explain.h"
#include "checkers/isolation/list_append.h"
#include "checkers/isolation/order_edges.h"
#include "checkers/isolation/rw_register.h"
#include "checkers/isolation/snapshot_phenomena.h"

namespace txlab {

using namespace isolation;

namespace {

bool IsCycleExists(const std::string& type) {
  const std::string suffix = "-cycle-exists";
  return type.size() > suffix.size() && type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool NeedsOrder(const std::set<std::string>& anomalies, const std::string& suffix) {
  for (const auto& a : anomalies) {
    if (a.size() > suffix.size() && a.compare(a.size() - suffix.size(), suffix.size(), suffix) == 0) return true;
  }
  return false;
}

}  // namespace

IsolationReport AnalyzeIsolation(const History& h, const IsolationOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  IsolationReport report;
  TxnTable table;
  std::string error;
  if (!BuildTxnTable(h, options.workload, &table, &error)) {
    report.input_ok = false;
    report.input_error = error;
    return report;
  }
  report.workload = table.workload;
  report.txns = table.txns.size();

  // Like Elle's additional-graphs: process and real-time edges only when the
  // target model forbids anomalies that need them. (Elle adds just the
  // real-time graph then; we add both, so a cycle that needs only process
  // order is named -process, the more specific claim.)
  const std::set<std::string> target_prohibits = AnomaliesProhibitedBy(options.consistency_model);
  const bool want_realtime = NeedsOrder(target_prohibits, "-realtime");
  const bool want_process = want_realtime || NeedsOrder(target_prohibits, "-process");

  AnomalySink sink;
  std::vector<Edge> edges;
  std::unique_ptr<EdgeExplainer> explainer;
  bool analysed;
  if (table.workload == WorkloadKind::kRwRegister) {
    OrderInference order;
    order.process = want_process && options.infer_versions_from_order;
    order.realtime = want_realtime && options.infer_versions_from_order;
    auto a = std::make_unique<RwRegisterAnalysis>(table, options.wfr_keys, order);
    analysed = a->Run(&sink, &edges, &error);
    explainer = std::move(a);
  } else {
    auto a = std::make_unique<ListAppendAnalysis>(table);
    analysed = a->Run(&sink, &edges, &error);
    explainer = std::move(a);
  }
  if (!analysed) {
    report.input_ok = false;
    report.input_error = error;
    return report;
  }
  if (want_process) AddProcessEdges(table, &edges);
  if (want_realtime) AddRealtimeEdges(table, &edges);
  const DepGraph graph(static_cast<uint32_t>(table.txns.size()), &edges);
  report.edges = graph.edge_count();

  // Cycles live inside strongly connected components; search each one.
  std::vector<int32_t> scratch(graph.size(), -1);
  const auto sccs = StronglyConnectedComponents(graph, kAllRels, nullptr, &scratch);
  scratch = {};
  report.sccs = sccs.size();
  CycleSearcher searcher(graph, options.cycle_search_budget);
  if (want_realtime) {
    searcher.SetRealtimeOrder([&table](uint32_t a, uint32_t b) {
      const Txn& x = table.txns[a];
      return x.status == TxnStatus::kOk && x.complete_pos != Txn::kNoPos &&
             x.complete_pos < table.txns[b].invoke_pos;
    });
  }
  std::set<std::string> not_searched;
  std::map<std::string, std::pair<size_t, size_t>> cycle_exists;  // type -> (count, smallest SCC)
  for (const auto& scc : sccs) {
    report.largest_scc = std::max(report.largest_scc, scc.size());
    SccSearchResult r = searcher.Search(scc);
    FindGsia(graph, table, scc, want_process, want_realtime, &sink);
    for (Anomaly& a : r.cycles) sink.Add(std::move(a));
    if (r.timed_out) {
      report.search_timed_out = true;
      not_searched.insert(r.not_searched.begin(), r.not_searched.end());
      Anomaly t{"cycle-search-timeout", {}, {}, ""};
      t.detail = "cycle-search-timeout: ran out of search budget in a strongly connected component of " +
                 std::to_string(scc.size()) + " transactions; not searched there:";
      for (const auto& n : r.not_searched) t.detail += " " + n;
      sink.Add(std::move(t));
    }
    for (const auto& ce : r.cycle_exists) {
      auto& [count, smallest] = cycle_exists[ce];
      smallest = count == 0 ? scc.size() : std::min(smallest, scc.size());
      ++count;
    }
  }

  // Which anomaly types were found; cycle-exists facts count only where no
  // concrete anomaly already rules their model out (Elle's
  // remove-redundant-cycle-exists).
  std::set<std::string> types;
  for (const auto& [type, n] : sink.counts()) {
    if (type != "cycle-search-timeout") types.insert(type);
  }
  // Key-value histories have no predicate reads: every anti-dependency is an
  // item anti-dependency, so G-single is G-single-item (hence G2-item), ...
  auto impossible_models = [](const std::set<std::string>& found) {
    return ImpossibleModels(WithItemVariants(found));
  };
  const std::set<std::string> impossible_concrete = impossible_models(types);
  for (const auto& [type, info] : cycle_exists) {
    const std::string model = type.substr(0, type.size() - std::string("-cycle-exists").size());
    if (impossible_concrete.count(model)) continue;
    Anomaly a{type, {}, {}, ""};
    a.detail = type + ": " + std::to_string(info.first) + " strongly connected component(s) are cyclic over " +
               FriendlyModel(model) + "'s relations alone (smallest: " + std::to_string(info.second) +
               " transactions), so " + FriendlyModel(model) + " cannot hold";
    sink.Add(std::move(a));
    types.insert(type);
  }
  const std::set<std::string> impossible = impossible_models(types);

  for (const std::string& m : ReportedModels()) {
    if (impossible.count(CanonicalModel(m))) {
      report.models_violated.push_back(m);
      for (const auto& t : types) {
        if (impossible_models({t}).count(CanonicalModel(m))) report.ruled_out_by[m].push_back(t);
      }
      continue;
    }
    // Undecided if an unsearched anomaly type would rule m out, or m needs
    // process / real-time edges this run did not build.
    const auto prohibited = AnomaliesProhibitedBy(m);
    bool undecided = (!want_realtime && NeedsOrder(prohibited, "-realtime")) ||
                     (!want_process && NeedsOrder(prohibited, "-process"));
    for (const auto& n : not_searched) undecided |= prohibited.count(n) > 0;
    (undecided ? report.models_unknown : report.models_ok).push_back(m);
  }
  report.target_violated = impossible.count(CanonicalModel(options.consistency_model)) > 0;

  for (const Anomaly& a : sink.kept()) {
    IsolationAnomaly out;
    out.type = a.type;
    for (uint32_t t : a.txns) out.ops.push_back(table.OpIndex(t));
    out.explanation = a.steps.empty() ? a.type + ": " + a.detail
                                      : RenderCycle(table, *explainer, a) + (a.detail.empty() ? "" : "\n  " + a.detail);
    if (a.type == "cycle-search-timeout" || IsCycleExists(a.type)) out.explanation = a.detail;
    report.anomalies.push_back(std::move(out));
  }
  std::stable_sort(report.anomalies.begin(), report.anomalies.end(),
                   [](const IsolationAnomaly& a, const IsolationAnomaly& b) { return a.type < b.type; });
  report.counts = sink.counts();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

Verdict CheckIsolation(const History& h, IsolationOptions options) {
  Verdict v;
  if (!IsKnownModel(options.consistency_model)) {
    v.checker = "elle";
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "unknown consistency model " + options.consistency_model;
    return v;
  }
  const IsolationReport r = AnalyzeIsolation(h, options);
  v.checker = std::string("elle-") + WorkloadName(r.workload == WorkloadKind::kDetect ? WorkloadKind::kListAppend
                                                                                       : r.workload);
  if (!r.input_ok) {
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "malformed history: " + r.input_error;
    v.details.push_back(r.input_error);
    return v;
  }
  v.models_ok = r.models_ok;
  v.models_violated = r.models_violated;
  std::string types;
  for (const auto& [type, n] : r.counts) {
    if (!types.empty()) types += ", ";
    types += type;
  }
  for (const auto& a : r.anomalies) {
    if (IsCycleExists(a.type) && r.counts.count(a.type) == 0) continue;
    v.details.push_back(a.explanation);
  }
  for (const auto& [type, n] : r.counts) {
    if (n > kMaxInstancesPerType) {
      v.details.push_back(type + ": " + std::to_string(n) + " instances, first " +
                          std::to_string(kMaxInstancesPerType) + " shown");
    }
  }
  for (const auto& m : r.models_violated) {
    std::string line = "not " + m + ":";
    for (const auto& t : r.ruled_out_by.at(m)) line += " " + t;
    v.details.push_back(line);
  }
  if (!r.models_unknown.empty()) {
    std::string line = "not decided (edges not built or search out of budget):";
    for (const auto& m : r.models_unknown) line += " " + m;
    v.details.push_back(line);
  }
  bool target_undecided = false;
  for (const auto& m : r.models_unknown) {
    target_undecided |= CanonicalModel(m) == CanonicalModel(options.consistency_model);
  }
  if (r.target_violated) {
    v.outcome = Verdict::Outcome::kIllegal;
    v.summary = types;
  } else if (r.txns == 0) {
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "no transactions";
  } else if (target_undecided) {
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "cycle search out of budget" + (types.empty() ? "" : ": " + types);
  } else {
    v.outcome = Verdict::Outcome::kOk;
    v.summary = types.empty() ? "ok" : "ok (" + types + " allowed by " + options.consistency_model + ")";
  }
  v.details.push_back("checked " + std::to_string(r.txns) + " transactions, " + std::to_string(r.edges) +
                      " dependency edges, " + std::to_string(r.sccs) + " cyclic components (largest " +
                      std::to_string(r.largest_scc) + ") in " + std::to_string(r.seconds) + " s");
  return v;
}

}  // namespace txlab
