// What does recording the history cost? Runs the threaded runner on the
// embedded engine for a fixed number of txns with recording on and off and
// reports committed txns per second (items/s) over the clients' phase (manual
// time = the runner's elapsed time) and the client threads' CPU time per txn
// (cpu_ns_per_txn, from CLOCK_THREAD_CPUTIME_ID: on a machine shared with
// other work it is far steadier than the rate). The budget is < 10%.
//
//   build/bench/recording_bench --benchmark_filter='BM_(Run|Sim)' --benchmark_repetitions=15
//       --benchmark_enable_random_interleaving=true --benchmark_out=recording.json
//   bench/recording_summary.py recording.json      (medians and record/no-record ratios)
//
// BM_Sim does the same in the simulator (one thread, no scheduling noise).
// Cases: lua on list-append (one EVALSHA per txn: the cheapest txn, so the
// recording share is largest) and watch on bank (a typical interactive txn).
// BM_BuildHistory measures the post-run cost of turning records into the
// EDN history, which is outside the measured loop.
#include <benchmark/benchmark.h>

#include "workloads/recorder.h"
#include "workloads/runner.h"

namespace txlab {
namespace {

struct Case {
  const char* workload;
  const char* strategy;
};
constexpr Case kCases[] = {{"list-append", "lua"}, {"bank", "watch"}, {"list-append", "watch"}};

RunConfig Config(int c, bool record) {
  RunConfig config;
  config.workload = kCases[c].workload;
  config.strategies = {{kCases[c].strategy, 1.0}};
  config.runner = "threads";
  config.clients = 2;
  config.ops = 20000;
  config.seed = 1;
  config.record = record;
  config.workload_options.keys = 64;
  config.workload_options.accounts = 64;
  return config;
}

void BM_Run(benchmark::State& state) {
  const int c = static_cast<int>(state.range(0));
  const bool record = state.range(1) != 0;
  RunConfig config = Config(c, record);
  auto runner = MakeThreadRunner();
  uint64_t commits = 0, txns = 0;
  int64_t cpu_ns = 0;
  for (auto _ : state) {
    RunOutput out = runner->Run(config);
    commits += out.metrics[0].commits;
    txns += out.metrics[0].txns;
    cpu_ns += out.clients_cpu_ns;
    benchmark::DoNotOptimize(out.history.data());
    // The clients' phase only: building the history afterwards is not
    // part of the run's throughput (BM_BuildHistory measures it).
    state.SetIterationTime(static_cast<double>(out.elapsed_ns) / 1e9);
  }
  state.SetItemsProcessed(static_cast<int64_t>(commits));
  // CPU of the client threads per txn: what recording adds to each txn,
  // much less disturbed by other processes than the wall-clock rate.
  state.counters["cpu_ns_per_txn"] = txns ? static_cast<double>(cpu_ns) / static_cast<double>(txns) : 0;
  state.SetLabel(std::string(kCases[c].workload) + "/" + kCases[c].strategy + (record ? " record" : " no-record"));
}
BENCHMARK(BM_Run)
    ->ArgsProduct({{0, 1, 2}, {0, 1}})
    ->ArgNames({"case", "record"})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The simulator on one thread: CPU-bound and free of scheduling noise, so
// it shows the recording's CPU cost per txn most clearly.
void BM_Sim(benchmark::State& state) {
  const int c = static_cast<int>(state.range(0));
  const bool record = state.range(1) != 0;
  RunConfig config = Config(c, record);
  config.runner = "sim";
  config.clients = 8;
  auto runner = MakeSimRunner();
  uint64_t commits = 0, txns = 0;
  int64_t cpu_ns = 0;
  for (auto _ : state) {
    RunOutput out = runner->Run(config);
    commits += out.metrics[0].commits;
    txns += out.metrics[0].txns;
    cpu_ns += out.clients_cpu_ns;
    state.SetIterationTime(static_cast<double>(out.clients_wall_ns) / 1e9);
  }
  state.SetItemsProcessed(static_cast<int64_t>(commits));
  state.counters["cpu_ns_per_txn"] = txns ? static_cast<double>(cpu_ns) / static_cast<double>(txns) : 0;
  state.SetLabel(std::string(kCases[c].workload) + "/" + kCases[c].strategy + (record ? " record" : " no-record"));
}
BENCHMARK(BM_Sim)
    ->ArgsProduct({{0, 1, 2}, {0, 1}})
    ->ArgNames({"case", "record"})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_BuildHistory(benchmark::State& state) {
  RunConfig config = Config(0, true);
  RunOutput out = MakeThreadRunner()->Run(config);
  for (auto _ : state) {
    // RunOutput already holds the built history; measure hashing it as EDN,
    // the same order of work as writing it.
    benchmark::DoNotOptimize(HistoryHash(out.history));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * out.history.size()));
}
BENCHMARK(BM_BuildHistory)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace txlab

BENCHMARK_MAIN();
