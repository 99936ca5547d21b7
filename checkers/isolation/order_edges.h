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

#include <vector>

#include "checkers/isolation/dep_graph.h"
#include "checkers/isolation/txn_table.h"

namespace txlab::isolation {

void AddProcessEdges(const TxnTable& t, std::vector<Edge>* out);
void AddRealtimeEdges(const TxnTable& t, std::vector<Edge>* out);

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_ORDER_EDGES_H_
