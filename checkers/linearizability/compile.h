// Compile: History -> partitions of LinOps (lin_ops.h).
//
// Pairs each :invoke with its completion by process; :fail operations are
// dropped (they did not take effect), :info and unanswered invocations are
// indeterminate (they may take effect at any time after their call, or
// never; their outputs are not checked; they never return). Indeterminate
// operations without effects (reads) are dropped too.
//
// Operations understood (:f, then the :value of invoke / :ok):
//   read        nil / v                     register or counter read (a list read on list keys)
//   write       v                           register write
//   cas         [old new]                   compare-and-set; :ok succeeded
//   incr        nil / new-value             counter +1 returning the new value (nil counts as 0)
//   add         delta                       counter +delta, nothing returned
//   get         nil / "s"                   porcupine kv: string value, "" when absent
//   put         "s"                         porcupine kv
//   append      "s" or v                    porcupine kv (string: concatenate) or list append (element)
//   acquire, release                        mutex (Knossos' model: no owner)
//   txn         [[:r k v] [:w k v] [:append k v] [:incr k v] ...]   several keys at once
// Keyed forms take jepsen.independent tuples: [k v] for the value ([k [old new]]
// for cas); kv operations are always keyed (the readers fold :key into the
// value). Transactions name their keys in each micro-op.
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_COMPILE_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_COMPILE_H_

#include <string>

#include "checkers/linearizability/lin_ops.h"
#include "model/history.h"

namespace txlab {
namespace lin {

// Returns "" on success, else why the history cannot be checked (an
// unknown :f, a malformed value), naming the op's index.
std::string Compile(const History& h, const CompileOptions& options, Compiled* out);

// The last step of Compile for each partition (also used on partitions the
// streaming reader built, streamed_history.h): drops indeterminate writes
// nobody could observe (when drop_unobserved) and numbers the classes of
// interchangeable indeterminate ops. Returns how many ops it dropped.
size_t FinishPartition(Partition* p, ValueStore* vs, bool drop_unobserved);

// The model Compile would pick for h: by :f, as listed above.
std::string DetectModel(const History& h);

// Puts every op of every partition into one partition (for the brute-force
// checker, which must not depend on partitioning being right).
Partition MergeAll(const Compiled& c);

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_COMPILE_H_
