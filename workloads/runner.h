// Runner: owns the clients, time and faults of one run of one workload with
// one strategy (or a mix of strategies sharing the keys).
//
//   sim      one thread, a seeded scheduler interleaving the clients one
//            command at a time, a VirtualClock; same config and seed ⇒ the
//            same interleaving, history and metrics, byte for byte. Faults:
//            client pauses (longer than a lease) and crashes mid-txn.
//   threads  one OS thread per client on the embedded engine (or any
//            Target), for a duration and/or a number of txns.
#ifndef TXLAB_WORKLOADS_RUNNER_H_
#define TXLAB_WORKLOADS_RUNNER_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "impl/txn/strategy.h"
#include "impl/txn/target.h"
#include "model/history.h"
#include "workloads/client.h"
#include "workloads/metrics.h"
#include "workloads/workload.h"

namespace txlab {

struct StrategyShare {
  std::string name;
  double share = 1.0;
};

struct SimOptions {
  // Virtual time one command takes (network round trip + execution).
  int64_t command_cost_ns = 20'000;
  // Per scheduling step, probability that the chosen client is paused
  // (before its command runs) for pause_ns of virtual time.
  double pause_probability = 0;
  int64_t pause_ns = 300'000'000;  // 300 ms: three default lock leases
  // Per scheduling step, probability that the chosen client crashes: its
  // txn in flight becomes :info, its connection closes (MULTI and WATCH
  // dropped, locks left behind), and it restarts with a fresh process id.
  double crash_probability = 0;
  // Where a crash falls: with this probability after the server applied
  // the client's command but before the client saw the reply (an EXEC or
  // script that committed, a lock that was granted: the txn may have taken
  // effect, which is why it is :info); otherwise before the command is sent.
  double crash_after_apply = 0.5;
  // If not empty, crashes are injected only at this command (e.g. "EXEC",
  // "EVALSHA", "SET"), for targeted tests; case-insensitive.
  std::string crash_command;
  // Safety net against a livelocked simulation.
  int64_t max_steps = 100'000'000;
  // If not empty, RunOutput::final_keys lists the keys matching this KEYS
  // pattern once the final reads are done (what bookkeeping a strategy left
  // behind: locks, intents, decision records).
  std::string final_keys_pattern;
};

struct RunConfig {
  std::string workload = "bank";
  WorkloadOptions workload_options;
  std::vector<StrategyShare> strategies = {{"lua", 1.0}};
  std::string runner = "sim";
  // Where the clients connect, for the record ("embedded", "redis://...").
  std::string target = "embedded";
  // The workload's hash tag (WorkloadOptions::hash_tag): "auto", "none" or a
  // tag. auto: on a cluster:// target, when any strategy of the run needs a
  // txn's keys in one slot (StrategyNeedsOneSlot: lua, watch,
  // multi-no-watch), every key gets the workload's name as its tag; otherwise
  // (embedded, redis://, or only strategies that work across slots) none.
  std::string key_tags = "auto";
  int clients = 8;
  int64_t duration_ns = 0;  // 0: no time limit (sim: virtual time)
  int64_t ops = 0;          // txns to start, over all clients; 0: no limit
  uint64_t seed = 42;
  StrategyOptions strategy_options;
  SimOptions sim;
  bool record = true;
  // Progress lines for long runs (threads); nullptr for silence.
  std::ostream* progress = nullptr;

  // "lua" or "lua:0.5+watch:0.5".
  std::string StrategyLabel() const;
  nlohmann::json ToJson() const;
};

struct RunOutput {
  History history;                       // empty when !record
  std::vector<uint8_t> op_strategy;      // strategy index (into metrics) of each history op, by :index
  std::vector<StrategyMetrics> metrics;  // one per config strategy
  int64_t elapsed_ns = 0;                // the runner's clock (virtual in sim)
  int64_t wall_ns = 0;                   // real time the run took
  int64_t clients_wall_ns = 0;           // real time of the clients' phase (no set-up, final reads, history building)
  int64_t clients_cpu_ns = 0;            // CPU time of the clients' phase, summed over the client threads
  uint64_t steps = 0;                    // sim: scheduling steps
  uint64_t pauses = 0;                   // sim: injected pauses
  uint64_t crashes = 0;                  // sim: injected crashes
  uint64_t crashes_after_apply = 0;      // sim: of those, after the command was applied (reply lost)
  std::vector<std::string> final_keys;   // sim: see SimOptions::final_keys_pattern
};

class Runner {
 public:
  virtual ~Runner() = default;
  // Runs `config` on a fresh store. Throws std::invalid_argument for a bad
  // config (unknown workload or strategy, no stop condition).
  virtual RunOutput Run(const RunConfig& config) = 0;
};

std::unique_ptr<Runner> MakeSimRunner();

// Makes the store a threaded run talks to, in its initial (empty) state:
// a fresh embedded engine, or later a flushed redis-server over TCP. The
// runner sets it up with the workload's commands through a Connection.
using TargetFactory = std::function<std::unique_ptr<Target>(const RunConfig&)>;
// Threads, each with its own connection to a target made by `factory`
// (default: a fresh embedded engine on the real clock per run).
std::unique_ptr<Runner> MakeThreadRunner(TargetFactory factory = nullptr);
// "sim" or "threads"; nullptr otherwise.
std::unique_ptr<Runner> MakeRunner(const std::string& name);

// CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID), in ns.
int64_t ThreadCpuNs();

// Shared by the runners: validates and builds the pieces of a run.
// The workload, with config.key_tags resolved into its hash tag.
std::unique_ptr<Workload> WorkloadFor(const RunConfig& config);
// The hash tag config.key_tags resolves to ("" for none).
std::string ResolvedHashTag(const RunConfig& config);
void ValidateConfig(const RunConfig& config);
// Cumulative shares in config order, normalised to end at 1.
std::vector<double> CumulativeShares(const RunConfig& config);
// Per-strategy metrics with their names set.
std::vector<StrategyMetrics> EmptyMetrics(const RunConfig& config);
// A client of the run: its strategies, Rng and strategy seeds derived from
// the run's seed and `slot`.
std::unique_ptr<ClientEnv> MakeClientEnv(const RunConfig& config, int slot, int64_t process, Connection& conn,
                                         Workload& workload, RunControl& control, int64_t start_ns);

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_RUNNER_H_
