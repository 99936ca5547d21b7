// Exact fast paths: partitions whose shape fixes the only possible
// linearization order, decided in O(n log n) without search.
//
// Counter: every op is a determinate increment by 1 that returned its new
// value (no reads, no crashed ops). The k-th increment of a counter starting
// at nil/0 returns k, so the order must be by returned value: linearizable
// iff the values are exactly 1..n and no increment returned before one with
// a smaller value was called.
//
// Unique-value register: one key, reads and writes only, every written
// value distinct (Gibbons and Korach's zones, O(n log n); fast_paths.cc).
// Not used when a witness order is wanted.
//
// Anything else (and counters with reads or crashes) goes to the search,
// which handles them too; the fast path only bounds the cost.
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_FAST_PATHS_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_FAST_PATHS_H_

#include "checkers/linearizability/lin_ops.h"
#include "checkers/linearizability/search.h"

namespace txlab {
namespace lin {

// Returns true and fills *r (outcome, order when wanted) when a fast path
// applies to p; false to fall back to Search.
bool TryFastPath(const Partition& p, bool want_order, SearchResult* r);

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_FAST_PATHS_H_
