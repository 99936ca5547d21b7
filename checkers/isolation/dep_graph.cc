#include "checkers/isolation/dep_graph.h"

#include <algorithm>

namespace txlab::isolation {

const char* RelName(RelSet single) {
  switch (single) {
    case kWW: return "ww";
    case kWR: return "wr";
    case kRW: return "rw";
    case kProcess: return "process";
    case kRealtime: return "realtime";
    case kWWProcess: return "ww(process)";
    case kRWProcess: return "rw(process)";
    case kWWRealtime: return "ww(realtime)";
    case kRWRealtime: return "rw(realtime)";
  }
  return "?";
}

DepGraph::DepGraph(uint32_t n, std::vector<Edge>* edges) {
  // Counting sort by source: two linear passes instead of sorting the
  // (possibly tens of millions of) edges.
  std::vector<uint64_t> count(static_cast<size_t>(n) + 1, 0);
  for (const Edge& e : *edges) {
    if (e.from != e.to) ++count[e.from + 1];
  }
  for (uint32_t v = 0; v < n; ++v) count[v + 1] += count[v];
  std::vector<uint32_t> targets(count[n]);
  std::vector<RelSet> rels(count[n]);
  {
    std::vector<uint64_t> fill(count.begin(), count.end() - 1);
    for (const Edge& e : *edges) {
      if (e.from == e.to) continue;
      const uint64_t at = fill[e.from]++;
      targets[at] = e.to;
      rels[at] = e.rels;
    }
  }
  edges->clear();
  edges->shrink_to_fit();
  // Merge duplicate pairs per vertex; adjacency lists are short, so a small
  // sort of (target, rels) pairs each is cheap.
  offsets_.assign(static_cast<size_t>(n) + 1, 0);
  targets_.reserve(targets.size());
  rels_.reserve(targets.size());
  std::vector<std::pair<uint32_t, RelSet>> adj;
  for (uint32_t v = 0; v < n; ++v) {
    adj.clear();
    for (uint64_t i = count[v]; i < count[v + 1]; ++i) adj.emplace_back(targets[i], rels[i]);
    std::sort(adj.begin(), adj.end());
    for (size_t i = 0; i < adj.size(); ++i) {
      if (!targets_.empty() && targets_.size() > offsets_[v] && targets_.back() == adj[i].first) {
        rels_.back() |= adj[i].second;
      } else {
        targets_.push_back(adj[i].first);
        rels_.push_back(adj[i].second);
      }
    }
    offsets_[v + 1] = targets_.size();
  }
  targets_.shrink_to_fit();
  rels_.shrink_to_fit();
}

RelSet DepGraph::RelsBetween(uint32_t a, uint32_t b) const {
  for (uint64_t i = offsets_[a]; i < offsets_[a + 1]; ++i) {
    if (targets_[i] == b) return rels_[i];
  }
  return 0;
}

std::vector<std::vector<uint32_t>> StronglyConnectedComponents(const DepGraph& g, RelSet rels,
                                                               const std::vector<uint32_t>* subset,
                                                               std::vector<int32_t>* scratch) {
  std::vector<uint32_t> all;
  if (subset == nullptr) {
    all.resize(g.size());
    for (uint32_t v = 0; v < g.size(); ++v) all[v] = v;
    subset = &all;
  }
  const std::vector<uint32_t>& members = *subset;
  std::vector<int32_t>& local = *scratch;
  for (uint32_t i = 0; i < members.size(); ++i) local[members[i]] = static_cast<int32_t>(i);

  constexpr uint32_t kUnvisited = UINT32_MAX;
  const size_t m = members.size();
  std::vector<uint32_t> index(m, kUnvisited), low(m, 0);
  std::vector<uint8_t> on_stack(m, 0);
  std::vector<uint32_t> stack;  // Tarjan's component stack (local ids)
  struct Frame {
    uint32_t v;         // local id
    const uint32_t* t;  // next out-edge target
    const RelSet* r;    // and its relations
  };
  std::vector<Frame> frames;
  std::vector<std::vector<uint32_t>> out;
  uint32_t counter = 0;

  auto visit = [&](uint32_t lv) {
    index[lv] = low[lv] = counter++;
    stack.push_back(lv);
    on_stack[lv] = 1;
    const uint32_t gv = members[lv];
    frames.push_back(Frame{lv, g.targets_begin(gv), g.rels_begin(gv)});
  };

  for (uint32_t root = 0; root < m; ++root) {
    if (index[root] != kUnvisited) continue;
    visit(root);
    while (!frames.empty()) {
      Frame& f = frames.back();
      const uint32_t gv = members[f.v];
      if (f.t != g.targets_end(gv)) {
        const uint32_t w = *f.t++;
        const RelSet r = *f.r++;
        if (!(r & rels)) continue;
        const int32_t lw = local[w];
        if (lw < 0) continue;  // outside the subset
        if (index[lw] == kUnvisited) {
          visit(static_cast<uint32_t>(lw));  // invalidates f
        } else if (on_stack[lw]) {
          low[f.v] = std::min(low[f.v], index[lw]);
        }
        continue;
      }
      const uint32_t v = f.v;
      frames.pop_back();
      if (!frames.empty()) {
        const uint32_t parent = frames.back().v;
        low[parent] = std::min(low[parent], low[v]);
      }
      if (low[v] != index[v]) continue;
      // v roots a component: pop it.
      std::vector<uint32_t> comp;
      while (true) {
        const uint32_t w = stack.back();
        stack.pop_back();
        on_stack[w] = 0;
        comp.push_back(members[w]);
        if (w == v) break;
      }
      if (comp.size() >= 2) {
        std::sort(comp.begin(), comp.end());
        out.push_back(std::move(comp));
      }
    }
  }
  for (uint32_t v : members) local[v] = -1;
  return out;
}

}  // namespace txlab::isolation
