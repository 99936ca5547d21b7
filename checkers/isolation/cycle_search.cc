#include "checkers/isolation/cycle_search.h"

#include <algorithm>
#include <set>

#include "checkers/isolation/consistency_models.h"

namespace txlab::isolation {

namespace {

// Which single relation names a step taken through an edge with `bits`:
// data relations first, as Elle's combined explainer tries ww, wr, rw before
// process and real time.
RelSet Preferred(RelSet bits) {
  for (RelSet r : {kWW, kWR, kRW, kProcess, kRealtime, kWWProcess, kRWProcess, kWWRealtime, kRWRealtime}) {
    if (bits & r) return r;
  }
  return 0;
}

// Real time is transitive, and process order is real-time order within a
// process, so two consecutive order steps a -> b -> c can be one: a
// completed before b began, b before c began, hence a before c. Merging them
// keeps the cycle's classification and makes it shorter to read.
void CompactOrderSteps(Anomaly* a) {
  auto is_order = [](RelSet r) { return r == kProcess || r == kRealtime; };
  bool changed = true;
  while (changed && a->txns.size() > 2) {
    changed = false;
    const size_t n = a->txns.size();
    for (size_t i = 0; i < n && a->txns.size() > 2; ++i) {
      const size_t j = (i + 1) % n;
      if (!is_order(a->steps[i]) || !is_order(a->steps[j])) continue;
      // txns[j] sits between the two steps; drop it.
      a->steps[i] = (a->steps[i] == kProcess && a->steps[j] == kProcess) ? kProcess : kRealtime;
      a->steps.erase(a->steps.begin() + j);
      a->txns.erase(a->txns.begin() + j);
      changed = true;
      break;
    }
  }
}

}  // namespace

std::string GsibName(const std::string& type) {
  if (type == "G-single") return "GSIb";
  if (type == "G-single-process") return "GSIb-process";
  if (type == "G-single-realtime") return "GSIb-realtime";
  return "";
}

std::string ClassifyCycle(const std::vector<RelSet>& steps) {
  int ww = 0, wr = 0, rw = 0, process = 0, realtime = 0;
  bool rw_adjacent = false;
  for (size_t i = 0; i < steps.size(); ++i) {
    const RelSet s = steps[i];
    // A ww / rw step whose version order was inferred from process or
    // real-time order counts as ww / rw and as a process / real-time step.
    ww += (s & kAnyWW) != 0;
    wr += s == kWR;
    rw += (s & kAnyRW) != 0;
    process += (s & (kProcess | kProcessInferred)) != 0;
    realtime += (s & (kRealtime | kRealtimeInferred)) != 0;
    // The last step is adjacent to the first: the cycle wraps around.
    if ((s & kAnyRW) && (steps[(i + 1) % steps.size()] & kAnyRW) && steps.size() > 1) rw_adjacent = true;
  }
  std::string type;
  if (rw == 1) {
    type = "G-single";
  } else if (rw > 1) {
    type = rw_adjacent ? "G2-item" : "G-nonadjacent";
  } else if (wr > 0) {
    type = "G1c";
  } else if (ww > 0) {
    type = "G0";
  } else {
    type = "cycle";  // process/realtime only: cannot happen in a well-formed history
  }
  if (realtime > 0) return type + "-realtime";
  if (process > 0) return type + "-process";
  return type;
}

void CycleSearcher::Shorten(Anomaly* a) const {
  int rw = 0;
  bool realtime = false;
  for (RelSet r : a->steps) {
    rw += (r & kAnyRW) != 0;
    realtime |= (r & (kRealtime | kRealtimeInferred)) != 0;
  }
  // Only cycles that already use real time, and only over runs without rw
  // steps: the rw steps (their count and adjacency) decide the type.
  if (precedes_ && realtime && rw > 0) {
    bool changed = true;
    while (changed) {
      changed = false;
      const size_t n = a->txns.size();
      for (size_t i = 0; i < n && !changed; ++i) {
        size_t best = 0;
        if (a->steps[i] & kAnyRW) continue;
        for (size_t k = 2; k + 1 <= n; ++k) {
          if (a->steps[(i + k - 1) % n] & kAnyRW) break;
          if (precedes_(a->txns[i], a->txns[(i + k) % n])) best = k;
        }
        if (best == 0) continue;
        std::vector<uint32_t> txns{a->txns[i]};
        std::vector<RelSet> steps{kRealtime};
        for (size_t m = i + best; m < i + n; ++m) {
          txns.push_back(a->txns[m % n]);
          steps.push_back(a->steps[m % n]);
        }
        a->txns = std::move(txns);
        a->steps = std::move(steps);
        changed = true;
      }
    }
  }
  CompactOrderSteps(a);
}

const std::vector<CycleSearcher::Spec>& CycleSearcher::Specs() {
  // Elle's order (anomaly depth): the plain data anomalies, then the
  // -process variants, then the -realtime ones.
  static const std::vector<Spec> specs = [] {
    const Spec base[] = {
        {"G0", kWW, kRW, Shape::kAny},
        {"G1c", kWW | kWR, kRW, Shape::kAny},
        {"G-single", kWW | kWR, kRW, Shape::kOneRw},
        {"G2-item", kWW | kWR, kRW, Shape::kAdjacentRw},
        {"G-nonadjacent", kWW | kWR, kRW, Shape::kNonadjacentRw},
    };
    std::vector<Spec> out(std::begin(base), std::end(base));
    // -process variants may also use ww/rw edges inferred from process
    // order; -realtime ones real-time edges (which cover process order) and
    // everything inferred from either.
    for (RelSet variant : {kProcess, kRealtime}) {
      for (const Spec& s : base) {
        const bool process = variant == kProcess;
        const RelSet ww_inferred = process ? RelSet{kWWProcess} : RelSet{kWWProcess | kWWRealtime};
        const RelSet rw_inferred = process ? RelSet{kRWProcess} : RelSet{kRWProcess | kRWRealtime};
        const RelSet order = process ? RelSet{kProcess} : RelSet{kProcess | kRealtime};
        out.push_back(Spec{s.name + (process ? "-process" : "-realtime"),
                           static_cast<RelSet>(s.base | order | ((s.base & kWW) ? ww_inferred : 0)),
                           static_cast<RelSet>(s.rw | rw_inferred), s.shape});
      }
    }
    return out;
  }();
  return specs;
}

CycleSearcher::CycleSearcher(const DepGraph& g, uint64_t step_budget)
    : g_(g), budget_per_scc_(step_budget), scratch_(g.size(), -1), local_(g.size(), -1) {}

const std::vector<std::vector<uint32_t>>& CycleSearcher::Parts(RelSet mask) {
  for (const auto& [m, parts] : parts_memo_) {
    if (m == mask) return parts;
  }
  parts_memo_.emplace_back(mask, StronglyConnectedComponents(g_, mask, scc_, &scratch_));
  return parts_memo_.back().second;
}

bool CycleSearcher::Bfs(uint32_t start, const Spec& spec, int layers, Anomaly* out) {
  ++stamp_;
  const bool rw_shape = spec.shape != Shape::kAny;
  // Layer bits. kAdjacentRw: bit0 = last step was rw, bit1 = two adjacent rw
  // seen. kNonadjacentRw: bit0 = last step was rw, bit1 = some rw seen.
  // For the rw shapes the closing step back into `start` is the cycle's rw
  // edge, so the path starts "just after an rw" (bit0 set).
  const uint32_t init = (spec.shape == Shape::kAdjacentRw || spec.shape == Shape::kNonadjacentRw) ? 1 : 0;
  const uint32_t L = static_cast<uint32_t>(layers);
  const uint32_t s0 = static_cast<uint32_t>(local_[start]) * L + init;
  std::vector<uint32_t> queue{s0};
  seen_[s0] = stamp_;
  parent_[s0] = -1;
  const std::vector<uint32_t>& members = *part_;
  for (size_t head = 0; head < queue.size(); ++head) {
    const uint32_t st = queue[head];
    const uint32_t layer = st % L;
    const uint32_t u = members[st / L];
    const uint32_t* t = g_.targets_begin(u);
    const uint32_t* end = g_.targets_end(u);
    const RelSet* r = g_.rels_begin(u);
    for (; t != end; ++t, ++r) {
      if (steps_left_ == 0) return false;
      --steps_left_;
      const int32_t lw = local_[*t];
      if (lw < 0) continue;
      const RelSet e = *r;
      const RelSet base_bits = e & spec.base;
      if (*t == start) {
        bool accept = false;
        switch (spec.shape) {
          case Shape::kAny: accept = base_bits != 0; break;
          case Shape::kOneRw: accept = (e & spec.rw) != 0; break;
          case Shape::kAdjacentRw: accept = (e & spec.rw) && layer != 0; break;
          case Shape::kNonadjacentRw: accept = (e & spec.rw) && layer == 2; break;
        }
        if (accept) {
          // Walk parents back to the start.
          std::vector<uint32_t> txns;
          std::vector<RelSet> steps;
          for (int64_t cur = st; parent_[cur] != -1; cur = parent_[cur]) {
            txns.push_back(members[cur / L]);
            steps.push_back(parent_rel_[cur]);
          }
          txns.push_back(start);
          std::reverse(txns.begin(), txns.end());
          std::reverse(steps.begin(), steps.end());
          steps.push_back(rw_shape ? Preferred(e & spec.rw) : Preferred(base_bits));
          out->txns = std::move(txns);
          out->steps = std::move(steps);
          return true;
        }
      }
      auto push = [&](uint32_t next_layer, RelSet rel) {
        const uint32_t ns = static_cast<uint32_t>(lw) * L + next_layer;
        if (seen_[ns] == stamp_) return;
        seen_[ns] = stamp_;
        parent_[ns] = static_cast<int32_t>(st);
        parent_rel_[ns] = rel;
        queue.push_back(ns);
      };
      if (base_bits) {
        // A non-rw step clears "last was rw" and keeps the rest.
        push(layer & ~1u, Preferred(base_bits));
      }
      if (e & spec.rw) {
        const RelSet rw = Preferred(e & spec.rw);
        if (spec.shape == Shape::kAdjacentRw) {
          push(1u | (layer & 2u) | ((layer & 1u) << 1), rw);
        } else if (spec.shape == Shape::kNonadjacentRw && (layer & 1u) == 0) {
          push(3u, rw);
        }
      }
    }
  }
  return false;
}

bool CycleSearcher::SearchPart(const std::vector<uint32_t>& part, const Spec& spec, Anomaly* out) {
  const int layers = (spec.shape == Shape::kAny || spec.shape == Shape::kOneRw) ? 1 : 4;
  for (uint32_t i = 0; i < part.size(); ++i) local_[part[i]] = static_cast<int32_t>(i);
  const size_t need = part.size() * layers;
  if (seen_.size() < need) {
    seen_.resize(need, 0);
    parent_.resize(need, -1);
    parent_rel_.resize(need, 0);
  }
  part_ = &part;
  bool found = false;
  if (spec.shape == Shape::kAny) {
    // The part is strongly connected over these relations: any vertex lies
    // on a cycle.
    found = Bfs(part[0], spec, layers, out);
  } else {
    // Start right after each rw edge inside the part (at its target).
    std::vector<uint8_t> candidate(part.size(), 0);
    for (uint32_t u : part) {
      const uint32_t* t = g_.targets_begin(u);
      const RelSet* r = g_.rels_begin(u);
      for (; t != g_.targets_end(u); ++t, ++r) {
        if ((*r & spec.rw) && local_[*t] >= 0) candidate[local_[*t]] = 1;
      }
    }
    for (uint32_t i = 0; i < part.size() && !found && steps_left_ > 0; ++i) {
      if (candidate[i]) found = Bfs(part[i], spec, layers, out);
    }
  }
  for (uint32_t v : part) local_[v] = -1;
  part_ = nullptr;
  return found;
}

SccSearchResult CycleSearcher::Search(const std::vector<uint32_t>& scc) {
  SccSearchResult result;
  scc_ = &scc;
  parts_memo_.clear();
  steps_left_ = budget_per_scc_;
  std::set<std::string> redundant, found;
  for (const Spec& spec : Specs()) {
    if (redundant.count(spec.name)) continue;
    if (steps_left_ == 0) {
      result.not_searched.push_back(spec.name);
      continue;
    }
    const RelSet mask = spec.base | (spec.shape == Shape::kAny ? 0 : spec.rw);
    bool hit = false;
    for (const auto& part : Parts(mask)) {
      Anomaly a;
      if (SearchPart(part, spec, &a)) {
        Shorten(&a);
        a.type = ClassifyCycle(a.steps);
        if (found.insert(a.type).second) {
          const auto implied = ImpliedAnomalies({a.type});
          redundant.insert(implied.begin(), implied.end());
          // The same cycle is Adya's G-SIb (see GsibName).
          const std::string gsib = GsibName(a.type);
          Anomaly copy;
          if (!gsib.empty() && found.insert(gsib).second) {
            copy = a;
            copy.type = gsib;
            copy.detail = "Adya's G-SIb (missed effects): a cycle with exactly one anti-dependency edge";
            if (gsib != "GSIb") {
              copy.detail += "; it relies on process / real-time order (a process / realtime step is a start-dependency: "
                             "the first committed before the second started)";
            }
          }
          result.cycles.push_back(std::move(a));
          if (!copy.type.empty()) result.cycles.push_back(std::move(copy));
        }
        hit = true;
        break;
      }
      if (steps_left_ == 0) break;
    }
    if (!hit && steps_left_ == 0) result.not_searched.push_back(spec.name);
  }
  result.timed_out = !result.not_searched.empty();

  static const std::pair<const char*, RelSet> kExists[] = {
      {"PL-1-cycle-exists", kWW},
      {"PL-2-cycle-exists", kWW | kWR},
      {"PL-3-cycle-exists", kDataRels},
      {"strong-session-serializable-cycle-exists", kDataRels | kProcess | kProcessInferred},
      {"PL-SS-cycle-exists", kAllRels},
  };
  for (const auto& [name, mask] : kExists) {
    if (!Parts(mask).empty()) result.cycle_exists.push_back(name);
  }

  if (result.cycles.empty()) {
    // Out of budget before any cycle: name one anyway. The SCC is strongly
    // connected over all relations, so one BFS finds a cycle.
    steps_left_ = UINT64_MAX;
    const Spec any{"cycle", kAllRels, 0, Shape::kAny};
    Anomaly a;
    if (SearchPart(scc, any, &a)) {
      Shorten(&a);
      a.type = ClassifyCycle(a.steps);
      result.cycles.push_back(std::move(a));
    }
  }
  scc_ = nullptr;
  return result;
}

}  // namespace txlab::isolation
