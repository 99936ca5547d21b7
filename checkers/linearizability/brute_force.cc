#include "checkers/linearizability/brute_force.h"

#include <algorithm>
#include <numeric>

#include "checkers/linearizability/compile.h"
#include "checkers/linearizability/partition_state.h"

namespace txlab {
namespace lin {

namespace {

// Depth-first over every order: the next op may be any unplaced op that no
// unplaced determinate op precedes in real time. Succeeds once every
// determinate op is placed (unplaced indeterminate ops never happened).
bool Extend(const Partition& p, PartitionState* st, std::vector<bool>* placed, size_t determinate_left) {
  if (determinate_left == 0) return true;
  const size_t n = p.ops.size();
  int64_t min_ret = kNever;
  for (size_t i = 0; i < n; ++i) {
    if (!(*placed)[i] && !p.ops[i].indeterminate) min_ret = std::min(min_ret, p.ops[i].ret);
  }
  for (size_t i = 0; i < n; ++i) {
    if ((*placed)[i] || p.ops[i].call > min_ret) continue;
    if (!st->Apply(p.ops[i])) continue;
    (*placed)[i] = true;
    bool ok = Extend(p, st, placed, determinate_left - !p.ops[i].indeterminate);
    (*placed)[i] = false;
    st->Undo();
    if (ok) return true;
  }
  return false;
}

}  // namespace

bool BruteForceLinearizable(const Partition& p, ValueStore* values) {
  size_t determinate = 0;
  for (const LinOp& op : p.ops) determinate += !op.indeterminate;
  PartitionState st(p, values);
  std::vector<bool> placed(p.ops.size(), false);
  return Extend(p, &st, &placed, determinate);
}

bool BruteForceCheckHistory(const History& h, const std::string& model, bool* linearizable, std::string* error) {
  Compiled c;
  CompileOptions o;
  o.model = model;
  o.drop_unobserved = false;
  std::string err = Compile(h, o, &c);
  if (!err.empty()) {
    *error = err;
    return false;
  }
  Partition all = MergeAll(c);
  if (all.ops.size() > kBruteForceMaxOps) {
    *error = "brute force takes at most 8 operations, got " + std::to_string(all.ops.size());
    return false;
  }
  *linearizable = BruteForceLinearizable(all, c.values.get());
  return true;
}

}  // namespace lin
}  // namespace txlab
