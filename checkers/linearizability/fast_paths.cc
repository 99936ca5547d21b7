#include "checkers/linearizability/fast_paths.h"

#include <algorithm>

namespace txlab {
namespace lin {

namespace {

bool IncrementsOnly(const Partition& p) {
  if (p.keys.size() != 1 || p.kinds[0] != KeyKind::kScalar || p.ops.empty()) return false;
  for (const LinOp& op : p.ops) {
    if (op.indeterminate || op.mops.size() != 1) return false;
    const Mop& m = op.mops[0];
    if (m.code != MopCode::kIncr || m.a != 1 || !m.checked_b) return false;
  }
  return true;
}

// The unique-value register (Gibbons and Korach's zones). Applies to one
// scalar key with only reads and writes, every written value distinct and
// none nil. Each write w and the reads of its value form a cluster; the
// initial nil is a virtual write before everything. A cluster whose
// earliest return precedes its latest call has a forward zone
// [earliest return, latest call], during which its value must be current;
// otherwise a backward zone [latest call, earliest return], in which all of
// its ops can take effect at one instant. Linearizable iff no read returns
// before its write is called, no two forward zones overlap, and no
// backward zone lies inside a forward zone. Indeterminate writes that are
// read must take effect (they never return); unread ones are ignored (the
// same argument as DropUnobserved in compile.cc).
// Returns false if p has another shape.
bool TryUniqueRegister(const Partition& p, SearchResult* r) {
  if (p.keys.size() != 1 || p.kinds[0] != KeyKind::kScalar || p.ops.empty()) return false;
  struct Write {
    int64_t value;
    uint32_t op;
  };
  std::vector<Write> writes;
  for (uint32_t i = 0; i < p.ops.size(); ++i) {
    const LinOp& op = p.ops[i];
    if (op.mops.size() != 1) return false;
    const Mop& m = op.mops[0];
    if (m.code == MopCode::kWrite) {
      if (m.a == kNil) return false;
      writes.push_back({m.a, i});
    } else if (m.code != MopCode::kRead || op.indeterminate) {
      return false;
    }
  }
  std::sort(writes.begin(), writes.end(), [](const Write& a, const Write& b) { return a.value < b.value; });
  for (size_t i = 1; i < writes.size(); ++i) {
    if (writes[i].value == writes[i - 1].value) return false;
  }
  // Cluster 0 is the initial nil (a write called at -2, returned at -1);
  // cluster 1 + k is writes[k].
  const size_t nc = writes.size() + 1;
  std::vector<int64_t> min_ret(nc), max_call(nc);
  std::vector<bool> read(nc, false);
  min_ret[0] = -1;
  max_call[0] = -2;
  for (size_t k = 0; k < writes.size(); ++k) {
    const LinOp& w = p.ops[writes[k].op];
    min_ret[k + 1] = w.ret;
    max_call[k + 1] = w.call;
  }
  r->max_depth = p.ops.size();
  for (const LinOp& op : p.ops) {
    const Mop& m = op.mops[0];
    if (m.code != MopCode::kRead) continue;
    size_t c = 0;
    if (m.a != kNil) {
      auto it = std::lower_bound(writes.begin(), writes.end(), m.a,
                                 [](const Write& w, int64_t v) { return w.value < v; });
      if (it == writes.end() || it->value != m.a || op.ret < p.ops[it->op].call) {
        r->outcome = Outcome::kIllegal;  // a value never written, or read before its write began
        return true;
      }
      c = static_cast<size_t>(it - writes.begin()) + 1;
    }
    read[c] = true;
    min_ret[c] = std::min(min_ret[c], op.ret);
    max_call[c] = std::max(max_call[c], op.call);
  }
  struct Zone {
    int64_t from, to;
  };
  std::vector<Zone> forward, backward;
  for (size_t c = 0; c < nc; ++c) {
    if (c > 0 && !read[c] && p.ops[writes[c - 1].op].indeterminate) continue;  // may never take effect
    if (min_ret[c] < max_call[c]) forward.push_back({min_ret[c], max_call[c]});
    else backward.push_back({max_call[c], min_ret[c]});
  }
  std::sort(forward.begin(), forward.end(), [](const Zone& a, const Zone& b) { return a.from < b.from; });
  r->outcome = Outcome::kIllegal;
  for (size_t i = 1; i < forward.size(); ++i) {
    if (forward[i].from < forward[i - 1].to) return true;  // two values current at once
  }
  for (const Zone& b : backward) {
    // The forward zone starting last before b.
    auto it = std::lower_bound(forward.begin(), forward.end(), b.from,
                               [](const Zone& f, int64_t t) { return f.from < t; });
    if (it != forward.begin() && b.to < std::prev(it)->to) return true;  // b inside it
  }
  r->outcome = Outcome::kOk;
  return true;
}

}  // namespace

bool TryFastPath(const Partition& p, bool want_order, SearchResult* r) {
  if (!want_order && TryUniqueRegister(p, r)) return true;
  if (!IncrementsOnly(p)) return false;
  std::vector<uint32_t> by_value(p.ops.size());
  for (uint32_t i = 0; i < by_value.size(); ++i) by_value[i] = i;
  std::sort(by_value.begin(), by_value.end(),
            [&](uint32_t a, uint32_t b) { return p.ops[a].mops[0].b < p.ops[b].mops[0].b; });
  r->outcome = Outcome::kOk;
  for (size_t k = 0; k < by_value.size(); ++k) {
    if (p.ops[by_value[k]].mops[0].b != static_cast<int64_t>(k + 1)) {
      r->outcome = Outcome::kIllegal;  // a value missing, repeated or out of range
      return true;
    }
  }
  // No inversion: walking down from the largest value, every op must be
  // called before the earliest return among the larger ones.
  int64_t min_ret_larger = kNever;
  for (size_t k = by_value.size(); k-- > 0;) {
    const LinOp& op = p.ops[by_value[k]];
    if (min_ret_larger < op.call) {
      r->outcome = Outcome::kIllegal;
      return true;
    }
    min_ret_larger = std::min(min_ret_larger, op.ret);
  }
  if (want_order) r->order = by_value;
  r->max_depth = p.ops.size();
  return true;
}

}  // namespace lin
}  // namespace txlab
