// DepGraph: the dependency graph over transactions, and strongly connected
// components.
//
// Vertices are transaction ids (TxnTable::txns). An edge a -> b carries a set
// of relations (Rel bits): b depends on a by ww, wr or rw on some key, or
// follows a in its process or in real time. Edges are built in bulk
// (EdgeList), then frozen into compressed sparse rows with one edge per
// ordered pair (relation sets merged).
//
// Strongly connected components use Tarjan's algorithm with an explicit
// stack, so a million-vertex path needs no deep recursion. The search can be
// restricted to a subset of vertices and a subset of relations, which is how
// the cycle search looks at "the ww|wr part of this SCC" without copying.
#ifndef TXLAB_CHECKERS_ISOLATION_DEP_GRAPH_H_
#define TXLAB_CHECKERS_ISOLATION_DEP_GRAPH_H_

#include <cstdint>
#include <string>
#include <vector>

namespace txlab::isolation {

using RelSet = uint16_t;
enum Rel : RelSet {
  kWW = 1,        // b overwrote a's write (version order)
  kWR = 2,        // b read a's write
  kRW = 4,        // b overwrote the version a read (anti-dependency)
  kProcess = 8,   // same process, a completed before b
  kRealtime = 16, // a completed (ok) before b was invoked
  // ww / rw whose version order was inferred from process order (Elle's
  // :sequential-keys?) or real-time order (:linearizable-keys?): valid only
  // if the model orders each key that way, so a cycle through one is a
  // -process / -realtime anomaly, never a plain one (rw-register only).
  kWWProcess = 32,
  kRWProcess = 64,
  kWWRealtime = 128,
  kRWRealtime = 256,
};
constexpr RelSet kDataRels = kWW | kWR | kRW;
constexpr RelSet kAnyWW = kWW | kWWProcess | kWWRealtime;
constexpr RelSet kAnyRW = kRW | kRWProcess | kRWRealtime;
constexpr RelSet kProcessInferred = kWWProcess | kRWProcess;
constexpr RelSet kRealtimeInferred = kWWRealtime | kRWRealtime;
constexpr RelSet kAllRels = kDataRels | kProcess | kRealtime | kProcessInferred | kRealtimeInferred;

// "ww", "wr", "rw", "process", "realtime", "ww(process)", "rw(realtime)", ...
// for a single bit.
const char* RelName(RelSet single);

struct Edge {
  uint32_t from, to;
  RelSet rels;
};

class DepGraph {
 public:
  DepGraph() = default;
  // Freezes edges over vertices [0, n). Self-edges are dropped. Consumes
  // *edges (cleared) to keep peak memory down.
  DepGraph(uint32_t n, std::vector<Edge>* edges);

  uint32_t size() const { return static_cast<uint32_t>(offsets_.size()) - 1; }
  size_t edge_count() const { return targets_.size(); }

  // Out-edges of v: targets and relation sets, same length.
  const uint32_t* targets_begin(uint32_t v) const { return targets_.data() + offsets_[v]; }
  const uint32_t* targets_end(uint32_t v) const { return targets_.data() + offsets_[v + 1]; }
  const RelSet* rels_begin(uint32_t v) const { return rels_.data() + offsets_[v]; }
  // Relations on edge a -> b (0 if none). O(out-degree of a).
  RelSet RelsBetween(uint32_t a, uint32_t b) const;

 private:
  std::vector<uint64_t> offsets_{0};
  std::vector<uint32_t> targets_;
  std::vector<RelSet> rels_;
};

// Components of size >= 2 (a single vertex cannot form a cycle: there are no
// self-edges), each a list of vertices. Only vertices in `subset` (all when
// subset is null) and edges whose relations intersect `rels` are considered.
// `scratch` must have one entry per graph vertex and be all -1 on entry; it is
// all -1 again on return (so one buffer serves many calls).
std::vector<std::vector<uint32_t>> StronglyConnectedComponents(const DepGraph& g, RelSet rels,
                                                               const std::vector<uint32_t>* subset,
                                                               std::vector<int32_t>* scratch);

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_DEP_GRAPH_H_
