// Recording of transactions and building the Jepsen history.
//
// Recording is deliberately cheap, because it runs inside the measured loop
// (bench/recording_bench.cc holds it under 10% of throughput): each client
// appends a TxnRecord (the Txn it already built, the outcome it already has,
// two clock readings) to its own vector, with no locking and no formatting.
// The EDN values are built once, after the run, by BuildHistory.
#ifndef TXLAB_WORKLOADS_RECORDER_H_
#define TXLAB_WORKLOADS_RECORDER_H_

#include <cstdint>
#include <vector>

#include "impl/txn/abort_reason.h"
#include "impl/txn/txn.h"
#include "model/history.h"
#include "workloads/workload.h"

namespace txlab {

struct TxnRecord {
  int64_t process = 0;
  // Times in ns since the run started (the runner's clock: virtual in the
  // simulator), and order keys: the simulator numbers every event; threads
  // use the monotonic time itself.
  int64_t invoke_ns = 0;
  int64_t complete_ns = 0;
  uint64_t invoke_order = 0;
  uint64_t complete_order = 0;
  bool completed = false;
  Outcome::Kind kind = Outcome::Kind::kInfo;
  AbortReason reason = AbortReason::kCrashed;
  uint8_t strategy = 0;  // index into the run's strategy list
  Txn txn;
  TxnResult result;
};

using ClientLog = std::vector<TxnRecord>;

// Merges the clients' logs into one history in real-time order: events by
// order key, an invocation before a completion on ties (ties are concurrent,
// so this never invents a real-time precedence). :index from 0; :time from
// the record; :error holds the abort reason of :fail and :info.
History BuildHistory(const Workload& workload, const std::vector<const ClientLog*>& logs);

// FNV-1a over the history's EDN text: the determinism fingerprint.
uint64_t HistoryHash(const History& h);

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_RECORDER_H_
