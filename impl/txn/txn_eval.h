// Client-side evaluation of a Txn, shared by the interactive strategies
// (watch, lock, naive, multi-no-watch): they read the txn's read set from
// the store, evaluate the micro-ops locally (so a txn sees its own earlier
// writes), then send the resulting writes. Whether the reads are still
// current when the writes land is exactly what the strategies differ in.
#ifndef TXLAB_IMPL_TXN_TXN_EVAL_H_
#define TXLAB_IMPL_TXN_TXN_EVAL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "impl/txn/txn.h"
#include "model/reply.h"

namespace txlab {

// Values read from the store, by key.
struct StoreSnapshot {
  std::map<std::string, std::optional<int64_t>> registers;
  std::map<std::string, std::vector<int64_t>> lists;
};

// One write to send: SET key value, or RPUSH key values...
struct WriteOp {
  bool is_list = false;
  std::string key;
  std::vector<int64_t> values;  // one for SET; the appended values in order for RPUSH

  std::vector<std::string> Argv() const;
};

struct Evaluation {
  bool refused = false;  // a transfer would overdraw: send nothing, fail
  TxnResult result;
  std::vector<WriteOp> writes;  // in first-write order, one per key
};

// REQUIRES: snapshot holds every key of txn.ReadKeys() with the right type.
Evaluation Evaluate(const Txn& txn, const StoreSnapshot& snapshot);

// The command that reads `key` for micro-op kind (GET or LRANGE key 0 -1).
std::vector<std::string> ReadArgv(const Txn& txn, const std::string& key);
bool IsListKey(const Txn& txn, const std::string& key);

// Reply parsing. Return false on a reply of the wrong shape.
bool ParseRegister(const Reply& r, std::optional<int64_t>* out);
bool ParseList(const Reply& r, std::vector<int64_t>* out);
// Stores a read reply for `key` into the snapshot (type from the txn).
bool StoreRead(const Txn& txn, const std::string& key, const Reply& r, StoreSnapshot* snap);

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_TXN_EVAL_H_
