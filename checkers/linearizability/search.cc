#include "checkers/linearizability/search.h"

#include <algorithm>

#include "checkers/linearizability/partition_state.h"
#include "checkers/linearizability/state_cache.h"

namespace txlab {
namespace lin {

namespace {

uint64_t SplitMix(uint64_t* s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The events of a partition as a doubly linked list (entry 0 is the head),
// in time order, calls before returns at equal times. Lifting an operation
// unlinks its call and return entries; unlifting (always in reverse order)
// relinks them.
struct EventList {
  std::vector<int32_t> next, prev;
  std::vector<uint32_t> op;       // op of each entry
  std::vector<uint8_t> is_call;
  std::vector<int32_t> match;     // call entry -> its return entry

  explicit EventList(const Partition& p) {
    const size_t n = p.ops.size();
    struct Ev {
      int64_t time;
      bool is_return;
      uint32_t op;
    };
    std::vector<Ev> evs;
    evs.reserve(2 * n);
    for (uint32_t i = 0; i < n; ++i) {
      evs.push_back({p.ops[i].call, false, i});
      evs.push_back({p.ops[i].ret, true, i});
    }
    std::stable_sort(evs.begin(), evs.end(), [](const Ev& a, const Ev& b) {
      return a.time != b.time ? a.time < b.time : (!a.is_return && b.is_return);
    });
    const size_t m = evs.size() + 1;
    next.resize(m);
    prev.resize(m);
    op.resize(m);
    is_call.resize(m);
    match.assign(m, -1);
    std::vector<int32_t> call_entry(n, -1);
    for (size_t i = 0; i < evs.size(); ++i) {
      int32_t e = static_cast<int32_t>(i + 1);
      op[e] = evs[i].op;
      is_call[e] = !evs[i].is_return;
      if (is_call[e]) call_entry[evs[i].op] = e;
      else match[call_entry[evs[i].op]] = e;
    }
    for (size_t e = 0; e < m; ++e) {
      next[e] = e + 1 < m ? static_cast<int32_t>(e + 1) : -1;
      prev[e] = static_cast<int32_t>(e) - 1;
    }
  }

  void Lift(int32_t call) {
    int32_t ret = match[call];
    next[prev[call]] = next[call];
    if (next[call] >= 0) prev[next[call]] = prev[call];
    next[prev[ret]] = next[ret];
    if (next[ret] >= 0) prev[next[ret]] = prev[ret];
  }
  void Unlift(int32_t call) {
    int32_t ret = match[call];
    if (next[ret] >= 0) prev[next[ret]] = ret;
    next[prev[ret]] = ret;
    if (next[call] >= 0) prev[next[call]] = call;
    next[prev[call]] = call;
  }
};

}  // namespace

SearchResult Search(const Partition& p, ValueStore* values, const SearchOptions& options) {
  SearchResult r;
  const uint32_t n = static_cast<uint32_t>(p.ops.size());
  size_t determinate_left = 0;
  for (const LinOp& op : p.ops) determinate_left += !op.indeterminate;
  if (determinate_left == 0) {
    r.outcome = Outcome::kOk;
    return r;
  }

  EventList list(p);
  PartitionState state(p, values);
  // Easy histories need about one state per op; the table grows when not.
  StateCache cache(options.max_cache_bytes, static_cast<size_t>(n) / 2);

  // Zobrist words for the linearized set.
  std::vector<uint64_t> z_lo(n), z_hi(n);
  uint64_t seed = 0x74786c6162ULL;
  for (uint32_t i = 0; i < n; ++i) {
    z_lo[i] = SplitMix(&seed);
    z_hi[i] = SplitMix(&seed);
  }
  uint64_t set_lo = 0, set_hi = 0;

  // Symmetry classes: rank of each indeterminate op within its class (by
  // call), and how many of each class are linearized (always a prefix).
  std::vector<int32_t> rank(n, -1);
  std::vector<int32_t> class_next;
  for (uint32_t i = 0; i < n; ++i) {
    int32_t c = p.ops[i].class_id;
    if (c < 0) continue;
    if (static_cast<size_t>(c) >= class_next.size()) class_next.resize(c + 1, 0);
    rank[i] = class_next[c]++;
  }
  std::fill(class_next.begin(), class_next.end(), 0);

  std::vector<int32_t> stack;  // call entries of linearized ops
  stack.reserve(n);
  auto key_lo = [&] { return set_lo ^ state.hash(); };
  auto key_hi = [&] { return set_hi + state.hash() * 0x9e3779b97f4a7c15ULL; };
  cache.Insert(key_lo(), key_hi());

  int32_t e = list.next[0];
  uint32_t tick = 0;
  while (true) {
    if ((++tick & 1023) == 0 && std::chrono::steady_clock::now() > options.deadline) {
      r.outcome = Outcome::kUnknown;
      r.why_unknown = "time budget exhausted";
      break;
    }
    if (e < 0) {
      // Only reachable when every remaining entry is an indeterminate call
      // that cannot be linearized now: backtrack as at a return.
      e = -1;
    }
    if (e >= 0 && list.is_call[e]) {
      const uint32_t i = list.op[e];
      const LinOp& op = p.ops[i];
      const int32_t c = op.class_id;
      if (c < 0 || rank[i] == class_next[c]) {
        ++r.steps;
        if (state.Apply(op)) {
          set_lo ^= z_lo[i];
          set_hi ^= z_hi[i];
          StateCache::Result ins = cache.Insert(key_lo(), key_hi());
          if (ins == StateCache::Result::kInserted) {
            stack.push_back(e);
            list.Lift(e);
            if (c >= 0) ++class_next[c];
            if (!op.indeterminate && --determinate_left == 0) {
              r.outcome = Outcome::kOk;
              break;
            }
            if (stack.size() > r.max_depth) {
              r.max_depth = stack.size();
              if (options.track_partial) {
                r.partial.clear();
                for (int32_t s : stack) r.partial.push_back(list.op[s]);
              }
            }
            e = list.next[0];
            continue;
          }
          state.Undo();
          set_lo ^= z_lo[i];
          set_hi ^= z_hi[i];
          if (ins == StateCache::Result::kFull) {
            r.outcome = Outcome::kUnknown;
            r.why_unknown = "memory budget exhausted";
            break;
          }
        }
      }
      e = list.next[e];
      continue;
    }
    // A return entry (or the end): the op it closes cannot be linearized
    // later than this, so undo the most recent choice.
    if (stack.empty()) {
      r.outcome = Outcome::kIllegal;
      break;
    }
    int32_t top = stack.back();
    stack.pop_back();
    const uint32_t i = list.op[top];
    state.Undo();
    set_lo ^= z_lo[i];
    set_hi ^= z_hi[i];
    list.Unlift(top);
    if (p.ops[i].class_id >= 0) --class_next[p.ops[i].class_id];
    if (!p.ops[i].indeterminate) ++determinate_left;
    e = list.next[top];
  }
  if (r.outcome == Outcome::kOk && options.want_order) {
    for (int32_t s : stack) r.order.push_back(list.op[s]);
  }
  r.states = cache.size();
  r.cache_bytes = cache.bytes();
  return r;
}

}  // namespace lin
}  // namespace txlab
