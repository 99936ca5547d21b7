// Process and real-time edges (Elle's process-graph and realtime-graph).
//
// Process: for each process, its :ok transactions in order, a -> b for each
// consecutive pair. (Elle orders :ok ops only; a process retires after :info.)
//
// Real time: a -> b when a completed :ok before b was invoked. The full
// relation is quadratic, so, as Elle does, we emit only a transitive
// reduction: walking the history, a frontier holds the :ok completions not
// yet implied by a later one; an invocation links every frontier op to it,
// and a completion of b evicts every frontier op that completed before b's
// invocation (b already follows them, and b now stands for them). The
// frontier stays about as large as the concurrency, so this is O(n * p).
// Targets may be :ok or :info; :fail transactions never appear.
#ifndef TXLAB_CHECKERS_ISOLATION_ORDER_EDGES_H_
#define TXLAB_CHECKERS_ISOLATION_ORDER_EDGES_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "checkers/isolation/dep_graph.h"
#include "checkers/isolation/txn_table.h"

namespace txlab::isolation {

void AddProcessEdges(const TxnTable& t, std::vector<Edge>* out);
void AddRealtimeEdges(const TxnTable& t, std::vector<Edge>* out);

// Events by history position, so that one linear walk sees them in real-time
// order: slot[pos] = txn * 2 + (1 if this is its :ok completion), kNoEvent
// elsewhere. Only transactions with include(id) are placed. A completion that
// shares its invocation's position (no invocation seen) is not placed: the
// walk handles it right after the invocation. Used by AddRealtimeEdges and by
// the real-time version-order inference (order_versions.cc).
inline constexpr uint64_t kNoEvent = UINT64_MAX;
template <class Include>
std::vector<uint64_t> RealtimeEventSlots(const TxnTable& t, Include include) {
  uint32_t max_pos = 0;
  for (const Txn& x : t.txns) {
    max_pos = std::max(max_pos, x.invoke_pos);
    if (x.complete_pos != Txn::kNoPos) max_pos = std::max(max_pos, x.complete_pos);
  }
  std::vector<uint64_t> slot(t.txns.empty() ? 0 : static_cast<size_t>(max_pos) + 1, kNoEvent);
  for (uint32_t id = 0; id < t.txns.size(); ++id) {
    const Txn& x = t.txns[id];
    if (!include(id)) continue;
    slot[x.invoke_pos] = static_cast<uint64_t>(id) * 2;
    if (x.status == TxnStatus::kOk && x.complete_pos != x.invoke_pos) {
      slot[x.complete_pos] = static_cast<uint64_t>(id) * 2 + 1;
    }
  }
  return slot;
}

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_ORDER_EDGES_H_
