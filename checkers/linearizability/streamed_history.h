// StreamedHistory: a history in the checker's compact form, as the
// streaming reader (stream_reader.h) builds it without an Edn tree: keyed
// single-key operations filed per key, or transactions.
//
// One StreamedOp (32 bytes) per operation that can matter, filed under its
// key; values are 64-bit Vals: integers in ValueStore's range are
// themselves, nil is kNil, anything else (strings, keywords, big integers,
// vectors of scalars) an index into a table whose bytes live in one arena.
// Keys are the partitions of single-key histories; transactions are
// grouped by union-find over their keys (GroupTxns).
//
// MaterializePartition turns one key's ops into the Partition the search
// works on, with values encoded for the key's kind exactly as Compile
// (compile.h) would encode them, so both paths give the same verdicts.
// Partitions are materialized one at a time: the compact form of the whole
// history plus one partition's LinOps is the peak, not every LinOp at once.
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_STREAMED_HISTORY_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_STREAMED_HISTORY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checkers/linearizability/lin_ops.h"
#include "checkers/linearizability/value_store.h"

namespace txlab {
namespace lin {

using Val = int64_t;

struct StreamedOp {
  static constexpr uint32_t kNoReturn = UINT32_MAX;
  enum Flag : uint8_t {
    kIndeterminate = 1,  // :info or never completed
    kCheckedB = 2,       // kIncr: y (the returned value) is a known integer
    kCasOk = 4,          // kCas: completed :ok
    kDropped = 8,        // completed :fail: no effect
  };
  uint32_t call = 0;          // position of the invocation among the history's ops
  uint32_t ret = kNoReturn;   // position of the completion
  // read/get: the value read; write/put/append: the value; cas: old, new.
  // kIncr: plain integers instead of Vals: x the delta, y the returned value.
  Val x = 0;
  Val y = 0;
  MopCode code = MopCode::kRead;
  uint8_t flags = 0;
};

// A transaction ([[:r k v] [:w k v] [:append k v] [:incr k v] ...]): its
// micro-ops live in StreamedHistory::txn_mops, in order.
struct StreamedTxnMop {
  uint32_t key = 0;
  MopCode code = MopCode::kRead;  // kRead, kWrite, kAppendList or kIncr
  bool checked = false;           // kIncr: x is the returned value, an integer
  Val x = 0;                      // the value read or written; kIncr: the returned value
};
struct StreamedTxn {
  uint32_t call = 0, ret = StreamedOp::kNoReturn;
  uint32_t first_mop = 0, mops = 0;
  bool indeterminate = false;
};

class StreamedHistory {
 public:
  // ---- values
  enum class ValKind : uint8_t { kString, kKeyword, kBool, kBigInt, kVector };
  Val Int(int64_t i);
  Val Nil() const { return kNil; }
  Val Text(ValKind kind, std::string_view text);  // kString, kKeyword, kBool ("true"/"false")
  Val Vector(const Val* elems, size_t n);
  // A string value of an op on key, kept with that key's other strings so
  // that materializing a partition reads them in order (no cache miss per
  // op on a history-wide table).
  Val KeyString(uint32_t key, std::string_view text);
  // The value as an Edn (for the rare values Compile would intern by text);
  // key: the key whose op holds v.
  Edn ToEdn(Val v, uint32_t key) const;

  // ---- keys (the partitions)
  struct Key {
    Edn edn;                      // as written, for messages
    std::vector<StreamedOp> ops;  // in the order they were filed (not sorted by call)
    // The kind as Compile decides it: the last kind-setting op by call wins.
    KeyKind kind = KeyKind::kScalar;
    int64_t kind_call = -1;
    std::string text;             // KeyString values
  };
  std::vector<Key>& keys() { return keys_; }
  const std::vector<Key>& keys() const { return keys_; }
  // The key's number, added if new. Keys compare as Compile compares them:
  // integers by value, strings and keywords by kind and text.
  uint32_t IntKey(int64_t k);
  uint32_t TextKey(ValKind kind, std::string_view text);  // kString or kKeyword

  // Transactions (a history has either these or per-key ops, not both).
  std::vector<StreamedTxn> txns;
  std::vector<StreamedTxnMop> txn_mops;
  // Partitions of a transaction history: keys joined by union-find over each
  // transaction's keys, and the transactions of each. Filled by GroupTxns.
  struct TxnGroup {
    std::vector<uint32_t> keys;
    std::vector<uint32_t> txns;  // by call
  };
  std::vector<TxnGroup> GroupTxns() const;
  void MaterializeTxnGroup(const TxnGroup& g, ValueStore* vs, Partition* out) const;

  // Statistics Compile also keeps.
  size_t dropped_fail = 0;
  size_t dropped_indeterminate_reads = 0;
  std::string model;  // as DetectModel would pick it

  // One partition, with its values encoded into *vs for the key's kind
  // (*out is overwritten; its vectors' memory is reused).
  // Ops sorted by call; :fail ops left out; invoke_index/complete_index are
  // the ops' positions (there is no History to index).
  void MaterializePartition(uint32_t key, ValueStore* vs, Partition* out) const;

  // v is a vector (a read that returned a list).
  bool IsVector(Val v) const;

 private:
  struct Entry {
    ValKind kind;
    uint32_t len;
    uint64_t off;  // into text_ (strings, keywords, bools, big ints as decimal text) or elems_ (vectors)
  };
  std::string_view TextOf(const Entry& e) const { return std::string_view(text_).substr(e.off, e.len); }
  // KeyString Vals: kKeyStringBase + (offset << 16 | length), above the table's ids.
  static constexpr Val kKeyStringBase = kNil + (Val{1} << 61);
  static bool IsKeyString(Val v) { return v >= kKeyStringBase; }
  std::string_view KeyText(Val v, uint32_t key) const {
    const uint64_t x = static_cast<uint64_t>(v - kKeyStringBase);
    return std::string_view(keys_[key].text).substr(x >> 16, x & 0xffff);
  }
  int64_t Scalar(Val v, uint32_t key, ValueStore* vs) const;
  int64_t ListOf(Val v, uint32_t key, ValueStore* vs) const;
  // The text Compile gives v on a string key: a string's own text, else its
  // EDN (in *scratch); nil is "" for reads (nil_is_empty), "nil" for writes.
  std::string_view StringOf(Val v, uint32_t key, bool nil_is_empty, std::string* scratch) const;

  std::vector<Entry> entries_;
  std::string text_;
  std::vector<Val> elems_;
  std::vector<Key> keys_;
  std::unordered_map<int64_t, uint32_t> int_keys_;
  std::unordered_map<std::string, uint32_t> text_keys_;  // kind letter + text
};

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_STREAMED_HISTORY_H_
