// BruteForce: linearizability by enumeration, for tests of the search.
//
// Tries every order of every subset that contains all determinate ops (an
// indeterminate op may be left out: it never took effect) that respects
// real time (a before b whenever a returned before b was called), stepping
// each through the model, depth first and pruning a prefix as soon as it
// is illegal. No partitioning, memo, symmetry or event list, so it shares
// nothing with Search but the model itself (partition_state.h).
// At most 8 operations (8! orders x subsets).
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_BRUTE_FORCE_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_BRUTE_FORCE_H_

#include "checkers/linearizability/lin_ops.h"
#include "checkers/linearizability/value_store.h"
#include "model/history.h"

namespace txlab {
namespace lin {

inline constexpr size_t kBruteForceMaxOps = 8;

// REQUIRES: p.ops.size() <= kBruteForceMaxOps.
bool BruteForceLinearizable(const Partition& p, ValueStore* values);

// Compiles h (model from :f, or `model`) and runs the above on all of it,
// unpartitioned. Returns false in *ok and a reason when h cannot be
// compiled or has too many ops.
bool BruteForceCheckHistory(const History& h, const std::string& model, bool* linearizable, std::string* error);

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_BRUTE_FORCE_H_
