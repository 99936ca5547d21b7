#include "checkers/linearizability/minimise.h"

#include <algorithm>

#include "checkers/linearizability/search.h"

namespace txlab {
namespace lin {

namespace {

using Clock = std::chrono::steady_clock;

bool Illegal(const Partition& p, ValueStore* values, Clock::time_point deadline, size_t bytes) {
  SearchOptions o;
  o.deadline = deadline;
  o.max_cache_bytes = bytes;
  return Search(p, values, o).outcome == Outcome::kIllegal;
}

Partition WithOps(const Partition& p, std::vector<LinOp> ops) {
  Partition q;
  q.keys = p.keys;
  q.kinds = p.kinds;
  q.ops = std::move(ops);
  return q;
}

// Ops called before `cut`; those returning at or after it become indeterminate.
Partition Prefix(const Partition& p, int64_t cut) {
  std::vector<LinOp> ops;
  for (const LinOp& op : p.ops) {
    if (op.call >= cut) continue;
    LinOp o = op;
    if (!o.indeterminate && o.ret >= cut) {
      o.indeterminate = true;
      o.ret = kNever;
      o.class_id = -1;
      bool effect = false;
      for (const Mop& m : o.mops) effect |= m.code != MopCode::kRead && m.code != MopCode::kReadString;
      if (!effect) continue;
    }
    ops.push_back(std::move(o));
  }
  return WithOps(p, std::move(ops));
}

// Whether some op other than `self` in ops could have produced the value the
// read mop r observed. Minimising must not remove the write a read saw:
// "read 2 but the register is nil" is illegal too, but hides the real
// contradiction (the write of 2 happened, just not in a compatible order).
bool Supported(const std::vector<LinOp>& ops, size_t self, const Mop& read, ValueStore* values,
               const Partition& p) {
  Mop r = read;
  if (r.code == MopCode::kCas) r.code = MopCode::kRead;  // a successful cas observed its old value
  const KeyKind kind = p.kinds[r.key];
  if (kind == KeyKind::kScalar && r.a == kNil) return true;
  if (kind != KeyKind::kScalar && r.a == 0) return true;  // empty list / string
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i == self) continue;
    for (const Mop& m : ops[i].mops) {
      if (m.key != r.key) continue;
      switch (m.code) {
        case MopCode::kWrite:
          if (kind == KeyKind::kString ? values->StringEquals(m.a, r.a) : m.a == r.a) return true;
          break;
        case MopCode::kCas:
          if (m.b == r.a && (m.c != 0 || ops[i].indeterminate)) return true;
          break;
        case MopCode::kIncr:
          if (!m.checked_b || m.b == r.a) return true;  // an add or crashed incr could be anything
          break;
        case MopCode::kAppendList:
          if (values->ListLast(r.a) == m.a) return true;
          break;
        case MopCode::kAppendString: {
          std::string s = values->Materialize(r.a);
          const std::string& c = values->Chunk(m.a);
          if (s.size() >= c.size() && s.compare(s.size() - c.size(), c.size(), c) == 0) return true;
          break;
        }
        default:
          break;
      }
    }
  }
  return false;
}

// The reads of `ops` that are supported there (see Supported), by (op, mop).
std::vector<std::pair<int64_t, size_t>> SupportedReads(const std::vector<LinOp>& ops, ValueStore* values,
                                                       const Partition& p) {
  std::vector<std::pair<int64_t, size_t>> out;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].indeterminate) continue;
    for (size_t j = 0; j < ops[i].mops.size(); ++j) {
      const Mop& m = ops[i].mops[j];
      const bool observes = m.code == MopCode::kRead || m.code == MopCode::kReadString ||
                            (m.code == MopCode::kCas && m.c != 0);
      if (observes && Supported(ops, i, m, values, p)) {
        out.emplace_back(ops[i].call, j);
      }
    }
  }
  return out;
}

// Every read supported in the original stays supported in `ops`.
bool KeepsSupport(const std::vector<LinOp>& ops, const std::vector<std::pair<int64_t, size_t>>& needed,
                  ValueStore* values, const Partition& p) {
  for (const auto& [call, j] : needed) {
    for (size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].call != call || ops[i].indeterminate) continue;
      if (!Supported(ops, i, ops[i].mops[j], values, p)) return false;
    }
  }
  return true;
}

}  // namespace

Partition Minimise(const Partition& p, ValueStore* values, Clock::time_point deadline, size_t max_cache_bytes) {
  // 1. Shortest illegal prefix.
  std::vector<int64_t> cuts;
  for (const LinOp& op : p.ops) {
    if (!op.indeterminate) cuts.push_back(op.ret + 1);
  }
  std::sort(cuts.begin(), cuts.end());
  Partition best = p;
  size_t lo = 0, hi = cuts.size();  // cuts[hi-1] (the whole history) is illegal
  while (lo + 1 < hi && Clock::now() < deadline) {
    size_t mid = lo + (hi - lo) / 2;
    Partition q = Prefix(p, cuts[mid - 1]);
    if (Illegal(q, values, deadline, max_cache_bytes)) {
      hi = mid;
      best = std::move(q);
    } else {
      lo = mid;
    }
  }

  // 2. Remove chunks while still illegal (and every read that saw a write
  //    still has a write it could have seen).
  const auto needed = SupportedReads(best.ops, values, best);
  // Chunks of halving size, then single ops until nothing more goes: an op
  // kept only because a read needed it may go once that read has gone.
  size_t chunk = std::max<size_t>(1, best.ops.size() / 2);
  bool changed = true;
  while (Clock::now() < deadline && (chunk > 1 || changed)) {
    changed = false;
    for (size_t start = 0; start < best.ops.size() && Clock::now() < deadline;) {
      std::vector<LinOp> rest;
      rest.reserve(best.ops.size());
      for (size_t i = 0; i < best.ops.size(); ++i) {
        if (i < start || i >= start + chunk) rest.push_back(best.ops[i]);
      }
      Partition q = WithOps(best, std::move(rest));
      if (!q.ops.empty() && KeepsSupport(q.ops, needed, values, q) && Illegal(q, values, deadline, max_cache_bytes)) {
        best = std::move(q);  // retry the same start: new ops moved into it
        changed = true;
      } else {
        start += chunk;
      }
    }
    if (chunk > 1) {
      chunk /= 2;
      changed = true;  // always run the single-op pass at least once
    }
  }
  return best;
}

}  // namespace lin
}  // namespace txlab
