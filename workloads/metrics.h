// Metrics of one strategy in one run: what the comparison table and
// metrics.json report. Each client keeps its own StrategyMetrics per
// strategy (no sharing, no atomics); the runner merges them at the end.
#ifndef TXLAB_WORKLOADS_METRICS_H_
#define TXLAB_WORKLOADS_METRICS_H_

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "impl/txn/abort_reason.h"
#include "impl/txn/txn.h"
#include "workloads/histogram.h"

namespace txlab {

struct StrategyMetrics {
  std::string strategy;
  uint64_t txns = 0;          // completed logical txns (ok + fail + info)
  uint64_t commits = 0;       // ok
  uint64_t fails = 0;         // fail, of which:
  uint64_t give_ups = 0;      //   give-up
  uint64_t refused = 0;       //   insufficient-funds (a legitimate answer, not an abort)
  uint64_t infos = 0;         // info (crashed, unknown)
  uint64_t attempts = 0;      // over all txns
  uint64_t commit_attempts = 0;  // attempts of committed txns
  uint64_t commands = 0;      // Redis commands over all txns
  uint64_t commit_commands = 0;  // commands of committed txns
  // lock-wait*: busy locks retried in place with backoff, within one
  // attempt. Not retries (a retry is a new attempt of the whole txn, after
  // an abort: attempts - txns), so counted apart; 0 for other strategies.
  uint64_t lock_waits = 0;
  uint64_t commit_lock_waits = 0;  // lock waits of committed txns
  AbortCounts aborts;         // aborted attempts by reason (and lease-lost events)
  Histogram latency_ns;       // committed txns, invoke to completion (with retries)

  // Records one completed txn.
  void Add(const Outcome& o, uint64_t commands_used, int64_t latency);
  void Merge(const StrategyMetrics& o);

  // Aborted attempts per attempt: (attempts - txns) / attempts, with
  // refusals not counted as aborts.
  double AbortRate() const;
  double RetriesPerCommit() const;
  // Lock waits of committed txns per committed txn.
  double LockWaitsPerCommit() const;
  double CommandsPerCommit() const;
  // Commits per second over `elapsed_ns`.
  double Throughput(int64_t elapsed_ns) const;

  nlohmann::json ToJson(int64_t elapsed_ns) const;
};

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_METRICS_H_
