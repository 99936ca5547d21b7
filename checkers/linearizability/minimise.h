// Minimise: shrink an illegal partition to a small sub-history that is
// still illegal, so a person can see the contradiction.
//
// 1. Shortest illegal prefix: cut the history at a return; operations
//    called before the cut and returning after it become indeterminate.
//    Illegality is monotone in the cut (a longer prefix only adds
//    constraints), so a binary search finds the shortest illegal prefix.
// 2. Delta debugging: remove chunks of operations (halves, quarters, ...,
//    single ops) while the rest stays illegal.
// Every check runs under the deadline; when it passes, the smallest
// illegal sub-history found so far is returned (at worst the input).
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_MINIMISE_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_MINIMISE_H_

#include <chrono>

#include "checkers/linearizability/lin_ops.h"
#include "checkers/linearizability/value_store.h"

namespace txlab {
namespace lin {

// REQUIRES: p is illegal.
Partition Minimise(const Partition& p, ValueStore* values, std::chrono::steady_clock::time_point deadline,
                   size_t max_cache_bytes);

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_MINIMISE_H_
