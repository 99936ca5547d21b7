// Explain: a person-readable account of why a (small) partition is not
// linearizable: its operations with their intervals, the longest
// linearization the search found with the state before each step, and why
// each operation that could come next cannot.
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_EXPLAIN_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_EXPLAIN_H_

#include <string>

#include "checkers/linearizability/lin_ops.h"
#include "checkers/linearizability/value_store.h"
#include "model/history.h"

namespace txlab {
namespace lin {

// `h` is the history the partition was compiled from (for :index and :time).
std::string ExplainIllegal(const Partition& p, ValueStore* values, const History& h);

// One line per op: "#12 p3 [index 24 .. 31] write 3".
std::string DescribeOps(const Partition& p, ValueStore* values, const History& h);

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_EXPLAIN_H_
