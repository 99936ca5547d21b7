// Search: is one partition linearizable? The Wing-Gong / Lowe (WGL)
// backtracking search, as in porcupine, with
//   - in-place state and undo instead of state copies (partition_state.h);
//   - a memo of (linearized set, state) 128-bit hashes (state_cache.h);
//   - symmetry among indeterminate operations: of several pending
//     operations with identical effects and no return, only the one called
//     earliest may be linearized next (any linearization using a later one
//     can use the earlier one instead), which turns 2^k subsets of k
//     crashed increments into k+1 counts;
//   - success as soon as every determinate operation is linearized
//     (indeterminate ones may simply never take effect).
// The search is exact for the model; it stops with kUnknown when the
// deadline passes or the memo would exceed its byte budget, saying how far
// it got.
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_SEARCH_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_SEARCH_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "checkers/linearizability/lin_ops.h"
#include "checkers/linearizability/value_store.h"

namespace txlab {
namespace lin {

enum class Outcome { kOk, kIllegal, kUnknown };

struct SearchOptions {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  size_t max_cache_bytes = size_t{1} << 30;
  bool want_order = false;    // fill SearchResult::order on success
  bool track_partial = false; // keep the deepest partial linearization (costly: small histories only)
};

struct SearchResult {
  Outcome outcome = Outcome::kUnknown;
  std::vector<uint32_t> order;    // op indices in linearization order (want_order, kOk)
  std::vector<uint32_t> partial;  // deepest partial linearization (track_partial)
  uint64_t steps = 0;             // model steps tried
  size_t states = 0;              // memo entries
  size_t cache_bytes = 0;
  size_t max_depth = 0;           // most ops linearized at once
  std::string why_unknown;        // "time budget", "memory budget"
};

SearchResult Search(const Partition& p, ValueStore* values, const SearchOptions& options);

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_SEARCH_H_
