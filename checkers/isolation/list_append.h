// List-append inference (Elle's elle.list-append).
//
// Objects are lists; [:append k v] adds a value unique per key, [:r k [..]]
// returns the whole list. Every read is therefore a prefix of the key's
// version order, and the longest read (of committed transactions) spells the
// order out. From it:
//   ww  T1 -> T2 when T2 appended the element right after T1's element;
//   wr  T1 -> T2 when the last element T2 read was appended by T1;
//   rw  T1 -> T2 when T1 read the state just before T2's append.
// An append never read is placed after the longest read (it came later than
// everything observed). A key with no reads but a single append has order [v].
// Nodes are :ok and :info transactions; :fail ones only feed G1a.
//
// Non-cycle anomalies found here (Elle's names):
//   G1a                aborted read: an :ok read contains a failed txn's append
//   G1b                intermediate read: a read ends in another txn's
//                      non-final append to that key
//   internal           a txn's read disagrees with its own earlier read/appends
//   future-read        a txn reads an element it appends later
//   duplicate-elements a read holds the same element twice
//   incompatible-order two reads of a key are not prefixes of one another
//   garbage-read       a read holds an element no transaction appended
//   lost-update        two committed txns read the same state of k and both appended to k
//   dirty-update       a committed append follows a failed one in version order
#ifndef TXLAB_CHECKERS_ISOLATION_LIST_APPEND_H_
#define TXLAB_CHECKERS_ISOLATION_LIST_APPEND_H_

#include <string>
#include <vector>

#include "checkers/isolation/anomaly.h"
#include "checkers/isolation/flat_map.h"
#include "checkers/isolation/txn_table.h"

namespace txlab::isolation {

class ListAppendAnalysis : public EdgeExplainer {
 public:
  // REQUIRES: t.workload == kListAppend; t outlives this object.
  explicit ListAppendAnalysis(const TxnTable& t) : t_(t) {}

  // Finds the non-cycle anomalies and appends ww, wr and rw edges. Returns
  // false with *error when the history breaks the workload's premise (the
  // same value appended twice to one key).
  bool Run(AnomalySink* sink, std::vector<Edge>* edges, std::string* error);

  std::string Explain(uint32_t a, uint32_t b, RelSet rel, const std::string& a_name,
                      const std::string& b_name) const override;

 private:
  static constexpr uint32_t kInit = UINT32_MAX - 1;  // "the empty list" as an element id
  static constexpr uint32_t kNone = UINT32_MAX;

  bool BuildIndexes(std::string* error);
  void BuildVersionOrders();
  void CheckReads(AnomalySink* sink);
  void CheckInternal(uint32_t txn, AnomalySink* sink);
  void CheckLostUpdates(AnomalySink* sink);
  void CheckDirtyUpdates(AnomalySink* sink);
  void AddEdges(std::vector<Edge>* edges);

  // The element appended just before `value` on `key` (kInit if none), as
  // Elle's previously-appended-element.
  uint32_t PreviousElement(uint32_t key, uint32_t value) const;
  uint32_t LastElement(const Mop& read) const;  // kInit for nil or []
  bool IsOkRead(uint32_t txn, const Mop& m) const;

  const TxnTable& t_;
  FlatMap64 writer_;         // (key, element) -> :ok/:info txn that appended it
  FlatMap64 failed_writer_;  // (key, element) -> :fail txn that appended it
  FlatMap64 intermediate_;   // (key, element) -> txn whose non-final append to key it was
  FlatMap64 position_;       // (key, element) -> index in key's version order
  std::vector<uint32_t> order_begin_, order_len_;  // per key, into order_pool_
  std::vector<uint32_t> order_pool_;
  std::vector<uint32_t> longest_;       // per key: mop index of the longest read, or kNone
  std::vector<uint32_t> longest_txn_;   // per key: the txn holding that read
  std::vector<uint32_t> append_count_;  // per key: appends by :ok/:info txns
  std::vector<uint32_t> single_append_;  // per key: the value, if append_count_ == 1
  // Read index: (key, last element or kInit) -> list of readers.
  FlatMap64 read_head_;
  std::vector<uint32_t> read_next_, read_txn_;
};

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_LIST_APPEND_H_
