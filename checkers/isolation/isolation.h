// The Elle-style isolation checker: infers dependencies between transactions
// from what they observed, finds cycles, and says which consistency models
// the history satisfies (SEMANTICS.md 6.2; Kingsbury & Alvaro, VLDB 2020).
//
// Input: a History (model/history.h) of list-append or rw-register
// transactions:
//   {:type :invoke, :process 0, :f :txn, :value [[:append 1 3] [:r 2 nil]]}
//   {:type :ok,     :process 0, :f :txn, :value [[:append 1 3] [:r 2 [1 4]]]}
// (rw-register uses [:w k v] and [:r k v]). Appended / written values must be
// unique per key. Ops with another :f are ignored.
//
// What is reported (each with the transactions involved, cycles spelled out
// edge by edge):
//   cycles    G0, G1c, G-single, G2-item, G-nonadjacent, each also as
//             -process / -realtime when those edges are needed; GSIb (each
//             G-single cycle, Adya's missed effects) and GSIa (interference:
//             a ww/wr dependency whose target provably started before its
//             source committed), with the same suffixes
//             (snapshot_phenomena.h)
//   others    G1a, G1b, internal, future-read, lost-update, dirty-update,
//             duplicate-elements, incompatible-order, garbage-read,
//             cyclic-versions
// and, per consistency model (strict-serializable, serializable,
// snapshot-isolation, repeatable-read, read-committed, read-uncommitted),
// whether the anomalies rule it out (Elle's relations, see
// consistency_models.h).
//
// Cost: linear in the history for inference; real-time edges O(n * p) for p
// concurrent processes; SCCs linear; cycle search bounded per SCC by
// IsolationOptions::cycle_search_budget.
//
// Layout of the implementation (one concept per file):
//   txn_table      compact transactions (interned keys and values)
//   list_append    list-append inference and non-cycle anomalies
//   rw_register    rw-register inference and non-cycle anomalies
//   order_versions rw-register version orders from process / real-time order
//   order_edges    process and real-time edges
//   dep_graph      the graph, strongly connected components
//   cycle_search   cycle search in an SCC and its classification
//   snapshot_phenomena  Adya's G-SIa / G-SIb
//   consistency_models  anomaly -> model relations
//   explain        rendering cycles
//   anomaly        the anomaly record, the edge-explainer interface
//   flat_map       the open-addressing hash map behind the indexes
//   history_gen    serializable-by-construction histories (tests, bench)
#ifndef TXLAB_CHECKERS_ISOLATION_ISOLATION_H_
#define TXLAB_CHECKERS_ISOLATION_ISOLATION_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "checkers/common/verdict.h"
#include "checkers/isolation/txn_table.h"
#include "model/history.h"

namespace txlab {

struct IsolationOptions {
  // kDetect: list-append if the history appends, rw-register if it writes.
  isolation::WorkloadKind workload = isolation::WorkloadKind::kDetect;
  // The model the history is expected to satisfy; decides ok vs. illegal.
  // Any of Elle's model names ("serializable", "snapshot-isolation",
  // "PL-2.99", ...). As in Elle, it also decides which order edges are
  // built: process and real-time edges only when the model forbids
  // -process / -realtime anomalies (strict-serializable does; serializable,
  // snapshot-isolation and weaker do not). Models that need edges not built
  // are reported neither ok nor violated unless data anomalies rule them out.
  std::string consistency_model = "strict-serializable";
  // rw-register only: assume writes follow reads within a transaction, which
  // orders a read value before the same txn's write (Elle's :wfr-keys?).
  bool wfr_keys = false;
  // rw-register only: when process / real-time edges are built (see
  // consistency_model), also infer version orders from them, as Elle's
  // :sequential-keys? / :linearizable-keys? (order_versions.h). The ww / rw
  // edges so inferred make a cycle -process / -realtime, never plain.
  bool infer_versions_from_order = true;
  // Edge visits the cycle search may spend per strongly connected component
  // (~10^8 per second). Past it, unsearched anomaly types are reported as
  // cycle-search-timeout (and the verdict is unknown if they matter).
  uint64_t cycle_search_budget = 30'000'000;
};

struct IsolationAnomaly {
  std::string type;           // "G-single", "G1a", ...
  std::vector<int64_t> ops;   // :index of each transaction's completion, in cycle order for cycles
  std::string explanation;    // multi-line, as in Verdict::details
};

struct IsolationReport {
  bool input_ok = true;
  std::string input_error;             // when !input_ok
  isolation::WorkloadKind workload = isolation::WorkloadKind::kDetect;
  std::vector<IsolationAnomaly> anomalies;  // kept instances (at most 32 per type)
  std::map<std::string, size_t> counts;      // all instances per type
  std::vector<std::string> models_ok;        // of the six reported models
  std::vector<std::string> models_violated;
  std::vector<std::string> models_unknown;   // search ran out of budget before deciding
  // For each violated model, the anomaly types found that rule it out.
  std::map<std::string, std::vector<std::string>> ruled_out_by;
  bool target_violated = false;              // IsolationOptions::consistency_model ruled out
  bool search_timed_out = false;
  // Statistics.
  size_t txns = 0, edges = 0, sccs = 0, largest_scc = 0;
  double seconds = 0;
};

// Full analysis, for tools and tests that want structured results.
IsolationReport AnalyzeIsolation(const History& h, const IsolationOptions& options = {});

// The checker's entry point: checker "elle-list-append" or
// "elle-rw-register"; ok when the target model holds, illegal when ruled out,
// unknown on malformed input, an empty history, or an exhausted search that
// could have mattered. summary: "ok" or the anomaly types found; details: one
// entry per anomaly instance kept, then one line per ruled-out model naming
// the anomalies that rule it out ("not repeatable-read: G2-item"), then
// statistics; models_ok / models_violated: of the six reported models.
Verdict CheckIsolation(const History& h, IsolationOptions options = {});

}  // namespace txlab

#endif  // TXLAB_CHECKERS_ISOLATION_ISOLATION_H_
