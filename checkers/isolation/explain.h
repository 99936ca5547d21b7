// Explanations a person can follow: a cycle spelled out transaction by
// transaction and edge by edge, in the words of the workload.
#ifndef TXLAB_CHECKERS_ISOLATION_EXPLAIN_H_
#define TXLAB_CHECKERS_ISOLATION_EXPLAIN_H_

#include <string>

#include "checkers/isolation/anomaly.h"
#include "checkers/isolation/txn_table.h"

namespace txlab::isolation {

// E.g.
//   G-single: a cycle of 3 transactions
//     T1 = {:index 7, :process 3, :type :ok} [[:append 250 10] [:r 255 [2 3 4 5]] ...]
//     ...
//     T1 -rw-> T2: T1 read key 255 = [2 3 4 5], which did not yet include T2's append of 8
//     T2 -wr-> T3: T3 observed T2's append of 8 to key 255
//     T3 -ww-> T1: T1 appended 3 after T3 appended 4 to key 256
// REQUIRES: a.txns and a.steps describe a cycle (same length).
std::string RenderCycle(const TxnTable& t, const EdgeExplainer& data, const Anomaly& a);

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_EXPLAIN_H_
