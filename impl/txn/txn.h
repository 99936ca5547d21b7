// Txn: what a workload wants done, in abstract micro-ops, independent of the
// strategy that will carry it out; TxnResult: what it observed; Outcome: how
// the attempt(s) ended.
//
// Keys come in two types and a key is used with one type only:
//   register  a Redis string holding a decimal integer (GET/SET)
//   list      a Redis list of decimal integers (RPUSH/LRANGE)
// Micro-ops (executed in order; a txn sees its own earlier writes):
//   kRead      register read            result: value or nil
//   kWrite     register write of value
//   kIncr      register read-modify-write: value = old (nil = 0) + value; result: new value
//   kTransfer  key -> key2 of `value` units; refused (the whole txn writes
//              nothing) when the source balance (nil = 0) < value.
//              Strategies require a transfer to come before any write.
//   kAppend    list append of value
//   kReadList  list read               result: the whole list
#ifndef TXLAB_IMPL_TXN_TXN_H_
#define TXLAB_IMPL_TXN_TXN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "impl/txn/abort_reason.h"

namespace txlab {

struct MicroOp {
  enum class Kind : uint8_t { kRead, kWrite, kIncr, kTransfer, kAppend, kReadList };
  Kind kind = Kind::kRead;
  std::string key;
  std::string key2;   // kTransfer destination
  int64_t value = 0;  // written / appended value, increment, amount

  bool is_list() const { return kind == Kind::kAppend || kind == Kind::kReadList; }
  // Needs the key's current value from the store (before any local write).
  bool reads() const {
    return kind == Kind::kRead || kind == Kind::kIncr || kind == Kind::kTransfer ||
           kind == Kind::kReadList;
  }
  bool writes() const { return !(kind == Kind::kRead || kind == Kind::kReadList); }
};

struct Txn {
  std::vector<MicroOp> ops;
  // Workload-defined tag kept for history building (e.g. bank "transfer" vs "read").
  uint8_t tag = 0;

  // Distinct keys read from the store, in first-use order. For a transfer,
  // both accounts.
  std::vector<std::string> ReadKeys() const;
  // Distinct keys written, in first-use order.
  std::vector<std::string> WriteKeys() const;
  // Every distinct key touched, sorted (the global lock order).
  std::vector<std::string> SortedKeys() const;
  bool read_only() const;
};

struct MicroResult {
  std::optional<int64_t> value;  // kRead, kIncr (new value)
  std::vector<int64_t> list;     // kReadList
};

struct TxnResult {
  std::vector<MicroResult> ops;  // one per micro-op (empty unless committed)
};

struct Outcome {
  enum class Kind : uint8_t {
    kOk,    // committed; `result` holds what was read
    kFail,  // definitely no effect; `reason` says why
    kInfo,  // unknown whether it took effect (crash, lost reply, partial script)
  };
  Kind kind = Kind::kOk;
  AbortReason reason = AbortReason::kGiveUp;  // meaningful for kFail/kInfo
  TxnResult result;
  int attempts = 0;     // 1 + retries
  // lock-wait*: busy locks retried in place (the same lock again after a
  // backoff, within one attempt; not an abort, so not a retry)
  int lock_waits = 0;
  AbortCounts aborts;   // every aborted attempt (and lease-lost events), by reason
  std::string detail;   // e.g. the unexpected error text
};

const char* OutcomeKindName(Outcome::Kind k);  // "ok", "fail", "info"

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_TXN_H_
