// PartitionState: the sequential model of one partition, mutated in place.
//
// The state is one 64-bit slot per key (a scalar, a list node or a string
// node; value_store.h). Apply() runs one operation's micro-ops against it,
// checking the outputs of determinate operations, and records the old slot
// values on an undo log, so the search backtracks with Undo() instead of
// copying states. The hash of the whole state is kept incrementally (XOR of
// one term per key), so a cache lookup costs O(1), not O(keys).
//
// This is the single definition of every model (register, cas, counter,
// kv strings, list append, mutex, transactions over them): the search, the
// minimiser and the brute-force checker all step through it.
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_PARTITION_STATE_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_PARTITION_STATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "checkers/linearizability/lin_ops.h"
#include "checkers/linearizability/value_store.h"

namespace txlab {
namespace lin {

class PartitionState {
 public:
  PartitionState(const Partition& p, ValueStore* values);

  // Applies op if it is legal in the current state. On success returns true
  // and leaves an undo record; on failure returns false with the state
  // unchanged. Indeterminate ops skip output checks (but an operation that
  // takes effect must still have been possible: a cas compares, an acquire
  // needs a free lock, an incr needs an integer).
  bool Apply(const LinOp& op);
  // Undoes the most recent successful Apply.
  void Undo();

  uint64_t hash() const { return hash_; }
  size_t undo_depth() const { return marks_.size(); }

  // "{x: 3, y: [1 2]}" and "write 3" / "read -> 1": for explanations.
  std::string Describe() const;
  std::string DescribeOp(const LinOp& op) const;
  // Why op cannot be applied now ("read -> 1, but x = 3"); "" if it can.
  std::string WhyIllegal(const LinOp& op);

 private:
  uint64_t Term(uint32_t key, int64_t slot) const;
  void Set(uint32_t key, int64_t value);
  // Checks and applies one micro-op; false if illegal (state may be partly
  // changed: the caller rolls back to its mark).
  bool ApplyMop(const Mop& m, bool check);
  std::string DescribeSlot(uint32_t key, int64_t slot) const;

  const Partition& p_;
  ValueStore* values_;
  std::vector<int64_t> slots_;
  uint64_t hash_ = 0;
  std::vector<std::pair<uint32_t, int64_t>> undo_;  // (key, old slot)
  std::vector<size_t> marks_;                       // undo_ size before each Apply
};

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_PARTITION_STATE_H_
