// Lua scripting micro-benchmarks, in-process through Session::Call.
//
//   BM_EvalshaTransfer/<mode>  EVALSHA of a two-key transfer (GET, GET, SET,
//                              SET with a balance check), alternating
//                              direction so balances stay bounded.
//   BM_EvalshaLoop/<mode>      EVALSHA of a CPU-bound script (1000-iteration
//                              Lua loop, no redis.call): where an instruction
//                              hook would show.
//   BM_EvalTransfer            EVAL with the body (SHA1 + cache lookup each call).
//
// <mode> is the time-limit machinery (impl/lua/run_monitor.h):
//   signal     the product: no hook until SCRIPT KILL (default)
//   counthook  Redis 7.0's way: a count hook every 100000 instructions
//   off        no bookkeeping at all (baseline for "no measurable cost")
//
// Run: lua_bench --benchmark_repetitions=9 --benchmark_enable_random_interleaving=true
//      --benchmark_report_aggregates_only=true --benchmark_out=results/bench/lua-<date>.json
//      --benchmark_out_format=json --benchmark_context=commit=<sha>,machine=<name>
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "impl/engine/engine.h"
#include "impl/engine/script_commands.h"
#include "impl/lua/sha1.h"

namespace txlab {
namespace {

constexpr char kTransfer[] =
    "local from = tonumber(redis.call('GET', KEYS[1]) or '0')\n"
    "local to = tonumber(redis.call('GET', KEYS[2]) or '0')\n"
    "local n = tonumber(ARGV[1])\n"
    "if from < n then return 0 end\n"
    "redis.call('SET', KEYS[1], from - n)\n"
    "redis.call('SET', KEYS[2], to + n)\n"
    "return 1\n";

constexpr char kLoop[] = "local s = 0 for i = 1, 1000 do s = s + i end return s";

const TimeLimitMode kModes[] = {TimeLimitMode::kSignal, TimeLimitMode::kCountHook, TimeLimitMode::kOff};
const char* const kModeNames[] = {"signal", "counthook", "off"};

struct Fixture {
  explicit Fixture(TimeLimitMode mode) {
    SetScriptTimeLimitModeForNewEngines(mode);
    EngineOptions o;
    o.active_expire = false;
    engine = std::make_unique<Engine>(o);
    SetScriptTimeLimitModeForNewEngines(TimeLimitMode::kSignal);
    session = engine->Connect();
    session->Call({"SET", "acct:a", "1000000"});
    session->Call({"SET", "acct:b", "1000000"});
  }
  ~Fixture() { session.reset(); }
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Session> session;
};

void BM_EvalshaTransfer(benchmark::State& state) {
  Fixture f(kModes[state.range(0)]);
  state.SetLabel(kModeNames[state.range(0)]);
  std::string sha = f.session->Call({"SCRIPT", "LOAD", kTransfer}).str();
  std::string_view ab[] = {"EVALSHA", sha, "2", "acct:a", "acct:b", "1"};
  std::string_view ba[] = {"EVALSHA", sha, "2", "acct:b", "acct:a", "1"};
  bool forward = true;
  for (auto _ : state) {
    Reply r = f.session->Call(std::span<const std::string_view>(forward ? ab : ba));
    benchmark::DoNotOptimize(r);
    forward = !forward;
  }
  if (f.session->Call({"GET", "acct:a"}).str().empty()) state.SkipWithError("transfer failed");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvalshaTransfer)->DenseRange(0, 2)->ArgName("mode");

void BM_EvalshaLoop(benchmark::State& state) {
  Fixture f(kModes[state.range(0)]);
  state.SetLabel(kModeNames[state.range(0)]);
  std::string sha = f.session->Call({"SCRIPT", "LOAD", kLoop}).str();
  std::string_view argv[] = {"EVALSHA", sha, "0"};
  for (auto _ : state) {
    Reply r = f.session->Call(std::span<const std::string_view>(argv));
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvalshaLoop)->DenseRange(0, 2)->ArgName("mode");

void BM_EvalTransfer(benchmark::State& state) {
  Fixture f(TimeLimitMode::kSignal);
  std::string_view argv[] = {"EVAL", kTransfer, "2", "acct:a", "acct:b", "1"};
  for (auto _ : state) {
    Reply r = f.session->Call(std::span<const std::string_view>(argv));
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvalTransfer);

}  // namespace
}  // namespace txlab
