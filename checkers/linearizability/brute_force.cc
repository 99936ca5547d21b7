#include "checkers/linearizability/brute_force.h"

#include <algorithm>
#include <numeric>

#include "checkers/linearizability/compile.h"
#include "checkers/linearizability/partition_state.h"

namespace txlab {
namespace lin {

bool BruteForceLinearizable(const Partition& p, ValueStore* values) {
  const size_t n = p.ops.size();
  std::vector<uint32_t> indeterminate;
  for (uint32_t i = 0; i < n; ++i) {
    if (p.ops[i].indeterminate) indeterminate.push_back(i);
  }
  for (uint32_t subset = 0; subset < (1u << indeterminate.size()); ++subset) {
    std::vector<uint32_t> chosen;
    for (uint32_t i = 0; i < n; ++i) {
      if (!p.ops[i].indeterminate) chosen.push_back(i);
    }
    for (size_t j = 0; j < indeterminate.size(); ++j) {
      if (subset & (1u << j)) chosen.push_back(indeterminate[j]);
    }
    std::sort(chosen.begin(), chosen.end());
    do {
      bool real_time = true;
      for (size_t a = 0; a < chosen.size() && real_time; ++a) {
        for (size_t b = a + 1; b < chosen.size(); ++b) {
          // chosen[b] comes after chosen[a]: wrong if b returned before a was called.
          if (p.ops[chosen[b]].ret < p.ops[chosen[a]].call) {
            real_time = false;
            break;
          }
        }
      }
      if (!real_time) continue;
      PartitionState st(p, values);
      bool legal = true;
      for (uint32_t i : chosen) {
        if (!st.Apply(p.ops[i])) {
          legal = false;
          break;
        }
      }
      if (legal) return true;
    } while (std::next_permutation(chosen.begin(), chosen.end()));
  }
  return false;
}

bool BruteForceCheckHistory(const History& h, const std::string& model, bool* linearizable, std::string* error) {
  Compiled c;
  CompileOptions o;
  o.model = model;
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
