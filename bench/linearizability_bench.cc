// Our linearizability checker in-process on generated histories: the
// check alone (compile + search), parsing excluded. The same workloads as
// bench/linearizability_vs_porcupine.sh, which adds parsing and runs
// porcupine on the same files.
//
//   linearizability_bench [--benchmark_filter=...] [--benchmark_out=f.json --benchmark_out_format=json]
#include <benchmark/benchmark.h>

#include "checkers/linearizability/check_history.h"
#include "checkers/linearizability/history_gen.h"

namespace txlab {
namespace {

using lin::GenOptions;

const History& Workload(int which) {
  static History cache[5];
  static bool made[5] = {};
  if (!made[which]) {
    GenOptions g;
    g.clients = 8;
    g.keys = 10;
    switch (which) {
      case 0: g.model = GenOptions::Model::kRegister; g.ops = 100000; g.seed = 1; break;
      case 1: g.model = GenOptions::Model::kRegister; g.ops = 1000000; g.seed = 4; break;
      case 2: g.model = GenOptions::Model::kKv; g.ops = 100000; g.seed = 5; break;
      case 3: g.model = GenOptions::Model::kTxn; g.ops = 10000; g.txn_two_key_fraction = 0.15; g.seed = 2; break;
      case 4: g.model = GenOptions::Model::kCounter; g.ops = 10000; g.crash_fraction = 0.1; g.seed = 3; break;
    }
    cache[which] = lin::GenerateHistory(g);
    made[which] = true;
  }
  return cache[which];
}

void BM_Check(benchmark::State& state) {
  const History& h = Workload(static_cast<int>(state.range(0)));
  LinOptions o;
  o.time_budget_s = 60;
  for (auto _ : state) {
    Verdict v = CheckLinearizable(h, o);
    if (!v.ok()) state.SkipWithError(("not ok: " + v.summary).c_str());
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(h.size() / 2));
}

BENCHMARK(BM_Check)->Arg(0)->Name("kv-100k")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Check)->Arg(1)->Name("kv-1m")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Check)->Arg(2)->Name("kv-strings-100k")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Check)->Arg(3)->Name("txn-10k")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Check)->Arg(4)->Name("incr-crash-10k")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace txlab

BENCHMARK_MAIN();
