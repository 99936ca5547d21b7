// Engine micro-benchmarks through Session::Call (the path every strategy
// uses): GET, SET, INCR and an uncontended two-key WATCH/MULTI/EXEC transfer.
// Targets (README): GET/SET < 100 ns/op single-threaded; transfer < 1 us.
//
// Threads(2): each thread has its own session and its own keys, so the only
// shared resource is the engine mutex (the cost of the one-lock design).
//
// Run: engine_bench --benchmark_repetitions=5 --benchmark_out_format=json
//        --benchmark_out=results/bench/engine-<date>.json
//        --benchmark_context=commit=$(git rev-parse --short HEAD),machine=...
#include <benchmark/benchmark.h>

#include <memory>
#include <mutex>
#include <string>

#include "impl/engine/engine.h"

namespace txlab {
namespace {

// One engine for all benchmarks (threads of one benchmark share it).
Engine& SharedEngine() {
  static Engine* engine = [] {
    EngineOptions o;
    o.active_expire = false;
    return new Engine(o);
  }();
  return *engine;
}

std::string KeyFor(const benchmark::State& state, const char* base) {
  return std::string(base) + ":" + std::to_string(state.thread_index());
}

void BM_Get(benchmark::State& state) {
  auto s = SharedEngine().Connect();
  std::string key = KeyFor(state, "get");
  s->Call({"SET", key, "value"});
  for (auto _ : state) {
    Reply r = s->Call({"GET", key});
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Set(benchmark::State& state) {
  auto s = SharedEngine().Connect();
  std::string key = KeyFor(state, "set");
  for (auto _ : state) {
    Reply r = s->Call({"SET", key, "value"});
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Incr(benchmark::State& state) {
  auto s = SharedEngine().Connect();
  std::string key = KeyFor(state, "incr");
  s->Call({"SET", key, "0"});
  for (auto _ : state) {
    Reply r = s->Call({"INCR", key});
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

// WATCH a b; GET a; GET b; MULTI; SET a; SET b; EXEC: one committed transfer.
void BM_WatchMultiExecTransfer(benchmark::State& state) {
  auto s = SharedEngine().Connect();
  std::string a = KeyFor(state, "acct-a"), b = KeyFor(state, "acct-b");
  s->Call({"SET", a, "1000000000"});
  s->Call({"SET", b, "0"});
  int64_t aborted = 0;
  for (auto _ : state) {
    s->Call({"WATCH", a, b});
    Reply va = s->Call({"GET", a});
    Reply vb = s->Call({"GET", b});
    std::string na = std::to_string(std::stoll(va.str()) - 1);
    std::string nb = std::to_string(std::stoll(vb.str()) + 1);
    s->Call({"MULTI"});
    s->Call({"SET", a, na});
    s->Call({"SET", b, nb});
    Reply r = s->Call({"EXEC"});
    if (r.is_nil()) ++aborted;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["aborted"] = benchmark::Counter(static_cast<double>(aborted));
}

BENCHMARK(BM_Get);
BENCHMARK(BM_Get)->Threads(2)->UseRealTime();
BENCHMARK(BM_Set);
BENCHMARK(BM_Set)->Threads(2)->UseRealTime();
BENCHMARK(BM_Incr);
BENCHMARK(BM_Incr)->Threads(2)->UseRealTime();
BENCHMARK(BM_WatchMultiExecTransfer);
BENCHMARK(BM_WatchMultiExecTransfer)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace txlab
