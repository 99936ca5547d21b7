// rw-register version orders inferred from process and real-time order
// (Elle's :sequential-keys? and :linearizable-keys?, elle.rw-register
// transaction-graph->version-graphs; Kingsbury & Alvaro, VLDB 2020, sec. 4.3:
// "per-key linearizability via process / real-time order when the database
// claims it", SEMANTICS.md 6.2).
//
// A register read reveals only which write it saw, so most version orders
// are unknown. If each key is linearizable (strict serializability implies
// it) and transaction a completed :ok before b was invoked, then a's last
// version of k precedes-or-equals b's first version of k; if each key is
// sequential per process (strong session serializability), the same holds
// for a process's consecutive transactions. Per transaction and key:
//   last   its final write of k, else its external read (only :ok txns precede)
//   first  its external read of k, else its final write (:info txns: the write)
// and a fact "v1 < v2" for v1 = last(a), v2 = first(b), v1 != v2.
//
// The relation is transitive, so only immediate successors among the
// transactions touching k are related: a per-key frontier of :ok completions
// not yet superseded (as order_edges' real-time reduction) or, per process,
// the last transaction that touched k. The chain a < c < b then needs
// first(c) <= last(c) for the middle transaction, which serializability gives
// (c's read precedes its own write); those facts are emitted too, with
// before == after == c.
//
// Every fact carries its source (kProcess or kRealtime): the ww / rw edges
// built from it are kWWProcess / kRWRealtime ..., so a cycle needing one is a
// -process / -realtime anomaly, and a history that is serializable but not
// strictly so is never reported as non-serializable because of them.
//
// Cost: O(touches * frontier) for real time (frontier ~ concurrency on a
// key), O(touches) for process order.
#ifndef TXLAB_CHECKERS_ISOLATION_ORDER_VERSIONS_H_
#define TXLAB_CHECKERS_ISOLATION_ORDER_VERSIONS_H_

#include <cstdint>
#include <vector>

#include "checkers/isolation/dep_graph.h"
#include "checkers/isolation/txn_table.h"

namespace txlab::isolation {

struct InferredVersion {
  uint32_t key, v1, v2;   // v1 precedes v2 on key (values; never Mop::kNil)
  RelSet source;          // kProcess or kRealtime
  uint32_t before, after; // the txns whose order implied it (equal: the txn read v1, then wrote v2)
};

// Facts sorted by (key, v1, v2, source), one per tuple. `process` /
// `realtime` choose the sources.
std::vector<InferredVersion> InferVersionsFromOrder(const TxnTable& t, bool process, bool realtime);

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_ORDER_VERSIONS_H_
