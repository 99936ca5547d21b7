// Cycle search and classification within one strongly connected component
// (Elle's elle.txn cycle-cases-in-scc, with txlab's own search).
//
// For each anomaly spec, most specific first, the search restricts the SCC to
// the spec's relations, splits it again into strongly connected parts, and
// looks for one cycle of the required shape in those parts:
//   G0             ww only
//   G1c            ww and wr
//   G-single       ww and wr, plus exactly one rw
//   G2-item        ww, wr and rw, with two rw edges adjacent
//   G-nonadjacent  ww, wr and at least two rw, no two adjacent
// then each with process edges allowed (-process) and with real-time edges
// allowed (-realtime). A spec implied by an anomaly already found in this SCC
// is skipped, as Elle does (G0 implies G1c, G-single implies
// G-single-process, ...), so -process and -realtime cycles do need such
// edges. A found cycle is named by what it contains, as Elle's cycle
// explainer names it: exactly one rw -> G-single; several rw -> G2-item
// (some adjacent) or G-nonadjacent; else some wr -> G1c; else G0; suffixed
// -realtime if it uses a real-time edge, else -process if a process edge.
//
// A G-single cycle found is also reported as G-SIb (GsibName).
//
// rw-register edges whose version order was inferred from process or
// real-time order (kWWProcess, kRWRealtime, ...) are usable only by the
// -process / -realtime specs, and a cycle through one is classified with that
// suffix: the inference holds only under models that order keys that way.
//
// Consecutive process/real-time steps in a found cycle are merged (real
// time is transitive), so the reported cycle is as short as the data allows.
//
// The search is breadth-first over (transaction, small automaton state), so
// cycles are short; one search costs O(edges of the part). A step budget per
// SCC bounds the whole; when it runs out the remaining specs are reported as
// not searched (cycle-search-timeout) and, if nothing was found yet, some
// cycle of the SCC is reported so there is always a concrete one.
//
// Independently, "cycle exists" facts record which relation sets alone
// already make the SCC cyclic (PL-1: ww; PL-2: ww|wr; PL-3: ww|wr|rw;
// strong-session-serializable: +process; PL-SS: +realtime), like Elle's
// cycle-exists cases.
#ifndef TXLAB_CHECKERS_ISOLATION_CYCLE_SEARCH_H_
#define TXLAB_CHECKERS_ISOLATION_CYCLE_SEARCH_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "checkers/isolation/anomaly.h"
#include "checkers/isolation/dep_graph.h"

namespace txlab::isolation {

struct SccSearchResult {
  std::vector<Anomaly> cycles;  // one per anomaly type at most; txns and steps filled
  // e.g. "PL-3-cycle-exists": a cycle over those relations exists in this SCC.
  std::vector<std::string> cycle_exists;
  bool timed_out = false;
  std::vector<std::string> not_searched;  // specs skipped for lack of budget
};

class CycleSearcher {
 public:
  // `g` must outlive the searcher. step_budget bounds the edge visits spent
  // on each SCC.
  CycleSearcher(const DepGraph& g, uint64_t step_budget);

  SccSearchResult Search(const std::vector<uint32_t>& scc);

  // Optional: precedes(a, b) is true when a completed :ok before b was
  // invoked. The graph holds only a transitive reduction of real time, so a
  // found -realtime cycle may wind through many transactions; with this,
  // runs of non-rw steps that real time alone covers are cut to one
  // real-time step (the anomaly's type is unchanged).
  void SetRealtimeOrder(std::function<bool(uint32_t, uint32_t)> precedes) { precedes_ = std::move(precedes); }

 private:
  enum class Shape { kAny, kOneRw, kAdjacentRw, kNonadjacentRw };
  struct Spec {
    std::string name;
    RelSet base;  // relations the path may use as non-rw steps
    RelSet rw;    // relations that count as the shape's rw steps
    Shape shape;
  };
  static const std::vector<Spec>& Specs();

  const std::vector<std::vector<uint32_t>>& Parts(RelSet mask);
  // One cycle of the spec's shape inside `part`, or false.
  bool SearchPart(const std::vector<uint32_t>& part, const Spec& spec, Anomaly* out);
  // BFS from `start` for a cycle closing back into it; see the .cc.
  bool Bfs(uint32_t start, const Spec& spec, int layers, Anomaly* out);

  void Shorten(Anomaly* a) const;

  const DepGraph& g_;
  std::function<bool(uint32_t, uint32_t)> precedes_;
  uint64_t budget_per_scc_;
  uint64_t steps_left_ = 0;
  const std::vector<uint32_t>* scc_ = nullptr;
  const std::vector<uint32_t>* part_ = nullptr;  // during SearchPart
  std::vector<std::pair<RelSet, std::vector<std::vector<uint32_t>>>> parts_memo_;
  std::vector<int32_t> scratch_;  // for StronglyConnectedComponents
  std::vector<int32_t> local_;    // global -> index in the current part, or -1
  // Per-part BFS state, indexed by local * layers + layer.
  std::vector<uint32_t> seen_;
  std::vector<int32_t> parent_;
  std::vector<RelSet> parent_rel_;
  uint32_t stamp_ = 0;
};

// Adya's G-SIb (missed effects) is a cycle in the start-ordered
// serialization graph with exactly one anti-dependency edge, its other edges
// ww, wr or start-dependencies (Ti committed before Tj started). A client
// sees start-dependencies only as process or real-time order (a txn's start
// and commit lie inside its invocation-completion interval), so a G-SIb cycle
// is exactly a G-single, G-single-process or G-single-realtime cycle; each
// found one is also reported under this name ("GSIb", "GSIb-process",
// "GSIb-realtime"). Empty for other types.
std::string GsibName(const std::string& type);

// Elle's name for a cycle with these steps (one Rel bit each), e.g.
// "G-single-realtime".
std::string ClassifyCycle(const std::vector<RelSet>& steps);

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_CYCLE_SEARCH_H_
