// TxnTable: a history of transactions in compact integer form.
//
// The checker never works on Edn values directly: keys and values are
// interned to dense uint32 ids, every transaction is one Txn (invocation and
// completion paired by process), and every micro-op one Mop. A read of a list
// points into one shared pool of element ids. A million transactions take a
// few tens of megabytes here, against gigabytes as Edn trees.
//
// Which ops count: client transactions, i.e. ops whose :f is :txn (or absent)
// and whose :value is a vector of micro-ops [f k v] with f one of :append,
// :r, :w. Other ops (nemesis, other workloads) are skipped.
//
// Pairing: an :invoke opens a transaction for its process; the next
// completion by that process (:ok, :fail, :info) closes it. An invocation
// never completed is :info. A completion without an invocation becomes a
// transaction by itself. A transaction's micro-ops come from the completion
// when it carries a vector (reads are filled in there), else from the
// invocation.
#ifndef TXLAB_CHECKERS_ISOLATION_TXN_TABLE_H_
#define TXLAB_CHECKERS_ISOLATION_TXN_TABLE_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "checkers/isolation/flat_map.h"
#include "model/history.h"

namespace txlab::isolation {

// Interns scalar Edn values (integers, keywords, strings, ...) to dense ids
// and renders them back as EDN text.
class AtomTable {
 public:
  uint32_t Intern(const Edn& v);
  std::string Name(uint32_t id) const;
  size_t size() const { return int_of_.size(); }

 private:
  static constexpr int64_t kSmall = 1 << 20;
  std::vector<uint32_t> small_;        // direct map for ints in [0, kSmall): id + 1, 0 if none
  FlatMap64 ints_{1024};
  std::unordered_map<std::string, uint32_t> others_;
  std::vector<int64_t> int_of_;        // the integer, when str_index_ is -1
  std::vector<int32_t> str_index_;     // index into strs_, or -1
  std::vector<std::string> strs_;      // EDN text of non-integer atoms
};

enum class MopKind : uint8_t { kAppend, kRead, kWrite };

// One micro-op. For an append or write, value is the written atom. For a
// read: in list-append, [list_begin, list_begin + list_len) in the list pool,
// or list_len == kNil for a nil read; in rw-register, value is the atom read
// or kNil.
struct Mop {
  static constexpr uint32_t kNil = UINT32_MAX;
  MopKind kind = MopKind::kRead;
  uint32_t key = 0;
  uint32_t value = kNil;
  uint32_t list_begin = 0;
  uint32_t list_len = kNil;
};

enum class TxnStatus : uint8_t { kOk, kFail, kInfo };

struct Txn {
  TxnStatus status = TxnStatus::kInfo;
  int64_t process = 0;
  uint32_t invoke_pos = 0;    // position of the invocation in the History
  uint32_t complete_pos = 0;  // position of the completion (kNoPos if none)
  uint32_t mop_begin = 0;     // [mop_begin, mop_end) in TxnTable::mops
  uint32_t mop_end = 0;
  static constexpr uint32_t kNoPos = UINT32_MAX;
};

enum class WorkloadKind { kDetect, kListAppend, kRwRegister };
const char* WorkloadName(WorkloadKind w);  // "list-append", "rw-register", "detect"

struct TxnTable {
  std::vector<Txn> txns;  // in order of invocation
  std::vector<Mop> mops;
  std::vector<uint32_t> list_pool;
  AtomTable keys;
  AtomTable values;
  WorkloadKind workload = WorkloadKind::kDetect;
  const History* history = nullptr;  // the source, for rendering

  // :index of the op that represents txn t (its completion, else invocation).
  int64_t OpIndex(uint32_t t) const;
  // EDN of txn t's micro-ops as the checker read them.
  std::string MopsText(uint32_t t) const;
  std::string MopText(const Mop& m) const;
  // "{:index 5, :process 2, :type :ok}" — how details name a transaction.
  std::string Label(uint32_t t) const;
  // "[1 2 3]" or "nil". Lists longer than kShownElements are abridged to
  // their first and last elements: "[1 2 3 4 5 6 ...(88 more)... 95 96 97 98 99 100]".
  std::string ListText(const Mop& m) const;
  static constexpr uint32_t kShownElements = 16;
};

// Builds the table. workload kDetect picks list-append if any op appends or
// reads a list, rw-register if any op writes. Returns false with *error set
// when the history mixes the two or holds an ill-formed micro-op.
bool BuildTxnTable(const History& h, WorkloadKind workload, TxnTable* out, std::string* error);

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_TXN_TABLE_H_
