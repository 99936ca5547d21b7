// Recording of transactions and building the Jepsen history.
//
// Recording is deliberately cheap, because it runs inside the measured loop
// (bench/recording_bench.cc holds it under 10% of throughput): each client
// packs its txns into its own RecordLog (record_log.h), with no locking, no
// heap allocation per txn and no formatting. The EDN values are built once,
// after the run, by BuildHistory.
#ifndef TXLAB_WORKLOADS_RECORDER_H_
#define TXLAB_WORKLOADS_RECORDER_H_

#include <cstdint>
#include <vector>

#include "model/history.h"
#include "workloads/record_log.h"
#include "workloads/workload.h"

namespace txlab {

using ClientLog = RecordLog;

// Merges the clients' logs into one history in real-time order: events by
// order key, an invocation before a completion on ties (ties are concurrent,
// so this never invents a real-time precedence). :index from 0; :time from
// the record; :error holds the abort reason of :fail and :info. If
// `op_strategy` is given, it receives the strategy index of every op, by
// :index (mixed runs attribute checker findings with it).
History BuildHistory(const Workload& workload, const std::vector<const ClientLog*>& logs,
                     std::vector<uint8_t>* op_strategy = nullptr);

// FNV-1a over the history's EDN text: the determinism fingerprint.
uint64_t HistoryHash(const History& h);

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_RECORDER_H_
