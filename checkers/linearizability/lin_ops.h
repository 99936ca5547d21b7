// The compiled form of a history that the linearizability search works on.
//
// A History (model/history.h) is turned into logical operations, each a
// list of micro-operations (Mops) on keys; a plain register write is one Mop,
// a transaction several. Keys are grouped into partitions with union-find
// over the keys each operation touches (P-compositionality: linearizability
// of the whole is linearizability of each partition), and each partition
// gets its own dense key numbering, so that its state is a small array of
// 64-bit slots (see partition_state.h).
//
// Values are interned in a ValueStore (value_store.h): register values,
// list-append lists and key-value strings become 64-bit slot values, so a
// read is checked by one comparison.
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_LIN_OPS_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_LIN_OPS_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "model/edn.h"

namespace txlab {
namespace lin {

class ValueStore;

// What one micro-operation does to its key's slot. "Checked" parts are
// skipped for indeterminate operations (their output is unknown).
enum class MopCode : uint8_t {
  kRead,         // checked: slot == a (register value, counter value, list node)
  kReadString,   // checked: the string at slot equals string node a (kv get)
  kWrite,        // slot = a
  kCas,          // if slot == a: slot = b; checked: success == (c != 0)
  kIncr,         // slot += a (nil counts as 0); checked (when b_checked): new value == b
  kAppendList,   // slot = list node(slot, a)
  kAppendString, // slot = string node(slot, string a)
  kAcquire,      // checked-always: slot free (nil) -> held (1)
  kRelease,      // checked-always: slot held -> free
};

struct Mop {
  MopCode code;
  bool checked_b = false;  // kIncr: whether b (the returned value) is known
  uint32_t key = 0;        // dense key number within the partition
  int64_t a = 0, b = 0, c = 0;
};

// The micro-ops of one operation: almost always one or two, kept inline so
// the search touches one cache line per op instead of chasing a pointer.
class MopList {
 public:
  void push_back(const Mop& m) {
    if (heap_.empty() && n_ < kInline) {
      inline_[n_++] = m;
      return;
    }
    if (heap_.empty()) heap_.assign(inline_, inline_ + n_);
    heap_.push_back(m);
    ++n_;
  }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  const Mop* begin() const { return heap_.empty() ? inline_ : heap_.data(); }
  const Mop* end() const { return begin() + n_; }
  Mop* begin() { return heap_.empty() ? inline_ : heap_.data(); }
  Mop* end() { return begin() + n_; }
  const Mop& operator[](size_t i) const { return begin()[i]; }

 private:
  static constexpr uint32_t kInline = 2;
  Mop inline_[kInline];
  uint32_t n_ = 0;
  std::vector<Mop> heap_;
};

inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();  // return of an indeterminate op

struct LinOp {
  int64_t call = 0;        // position of the invocation in the history
  int64_t ret = kNever;    // position of the completion; kNever if indeterminate
  bool indeterminate = false;
  int64_t process = 0;
  size_t invoke_index = 0;     // index into the History of the :invoke
  size_t complete_index = SIZE_MAX;  // index of the completion, SIZE_MAX if none
  MopList mops;
  // Operations with identical effects whose outputs are unchecked are
  // interchangeable (see search.cc); ops of one class share class_id >= 0.
  int32_t class_id = -1;
};

enum class KeyKind : uint8_t { kScalar, kString, kList };

struct Partition {
  std::vector<Edn> keys;         // dense key number -> the key as written in the history
  std::vector<KeyKind> kinds;    // per key
  std::vector<LinOp> ops;        // sorted by call
};

struct Compiled {
  std::string model;             // "register", "cas-register", "kv", "counter", "list-append", "mutex", "txn"
  std::shared_ptr<ValueStore> values;
  std::vector<Partition> partitions;
  size_t dropped_fail = 0;           // :fail completions (no effect)
  size_t dropped_indeterminate_reads = 0;  // indeterminate ops without effects
  size_t dropped_unobserved = 0;           // indeterminate writes nobody observed
  bool cas_fail_is_mismatch = false;
};

struct CompileOptions {
  // "" picks the model from the ops' :f; otherwise one of the names above.
  std::string model;
  // porcupine's etcd tests read a :fail cas as "the compare failed", an
  // observation that constrains the state, rather than Jepsen's "did not
  // take effect" (dropped). Set for the etcd logs to get porcupine's verdicts.
  bool cas_fail_is_mismatch = false;
  // Values are jepsen.independent [key value] tuples. Auto-detected when
  // not forced (kv ops always are).
  enum class Keyed { kAuto, kYes, kNo } keyed = Keyed::kAuto;
  // Drop indeterminate writes whose value no determinate op ever observes
  // (see DropUnobserved in compile.cc). Exact, and it removes most of the
  // search for crashed writes; off for the brute-force checker, which must
  // not share this reasoning.
  bool drop_unobserved = true;
};

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_LIN_OPS_H_
