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

}  // namespace

bool TryFastPath(const Partition& p, bool want_order, SearchResult* r) {
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
