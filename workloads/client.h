// Client: the loop every runner runs, once per client, as a coroutine over
// the client's Connection. It draws a Txn from the workload, picks a
// strategy by its share, records the invocation, awaits the strategy,
// records the completion and the metrics, and retires its process id after
// an :info (Jepsen: a process whose last op is indeterminate never issues
// another; the next id is process + process_stride).
//
// The same loop runs synchronously on a thread (embedded or blocking
// connection) or suspended and resumed by the simulator's scheduler.
#ifndef TXLAB_WORKLOADS_CLIENT_H_
#define TXLAB_WORKLOADS_CLIENT_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "impl/txn/connection.h"
#include "impl/txn/random.h"
#include "impl/txn/strategy.h"
#include "impl/txn/task.h"
#include "workloads/metrics.h"
#include "workloads/recorder.h"
#include "workloads/workload.h"

namespace txlab {

// What a client asks of its runner.
class RunControl {
 public:
  virtual ~RunControl() = default;
  // Called once before each new txn; true ends the client's loop.
  virtual bool ShouldStop() = 0;
  // The order key of an event being recorded now (see TxnRecord in record_log.h).
  virtual uint64_t OrderKey(int64_t now_ns) = 0;
};

struct ClientEnv {
  int slot = 0;
  int64_t process = 0;
  int64_t process_stride = 1;
  Connection* conn = nullptr;
  Workload* workload = nullptr;
  RunControl* control = nullptr;
  std::vector<std::unique_ptr<Strategy>> strategies;  // one per strategy of the run
  std::vector<double> cumulative_share;               // ascending, last = 1
  Rng rng;
  int64_t start_ns = 0;  // the run's time origin on conn->NowNs()
  bool record = true;

  ClientLog log;
  std::vector<StrategyMetrics> metrics;  // per strategy

  // The txn in flight, for a runner that crashes this client.
  bool in_flight = false;
  int current_strategy = 0;
  int64_t current_invoke_abs_ns = 0;
  uint64_t current_commands_start = 0;

  int PickStrategy();
};

// Loops until control->ShouldStop().
Task<void> ClientLoop(ClientEnv& env);

// Runs and records one txn with strategy `s` (also used for the final reads).
Task<void> RunAndRecord(ClientEnv& env, Txn txn, int s);

// The client crashed with a txn in flight: record it as :info with `why`
// at the connection's current time and retire the process id. No-op if
// nothing is in flight.
void AbandonInFlight(ClientEnv& env, AbortReason why);

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_CLIENT_H_
