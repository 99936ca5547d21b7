// The isolation checker on large list-append histories.
//
// Histories come from GenerateSerializableListAppend
// (checkers/isolation/history_gen.h): a serial execution whose transactions
// are then stretched to overlap in real time (16 processes), 100 keys active
// at a time (each retired after 32 appends, as Elle's generator does, so
// reads stay short), 1-4 micro-ops per transaction, half reads, 1% failed and
// 1% indeterminate. Serializable by construction, so the checker must say ok
// and does all of its work (no early exit on an anomaly).
//
// Timed: CheckIsolation(history) under strict-serializable, i.e. compact
// tables, inference, process and real-time edges, SCCs and verdict. Not
// timed: generating the history. Counters: txns, peak RSS of the whole
// process during the check (history included; the high-water mark is reset
// just before), and the RSS the history itself occupies.
//
// Goal: 1M transactions in < 10 s and < 4 GiB.
// Run: isolation_bench --benchmark_out_format=json
//        --benchmark_out=results/bench/isolation-<date>.json
//        --benchmark_context=commit=$(git rev-parse --short HEAD),machine=...
#include <benchmark/benchmark.h>

#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>

#include "checkers/isolation/history_gen.h"
#include "checkers/isolation/isolation.h"
#include "model/history_io.h"

namespace txlab {
namespace {

// Reads a "VmXXX:   1234 kB" line of /proc/self/status, in bytes.
double StatusBytes(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) * 1024.0;
  }
  return 0;
}

// Resets VmHWM to the current RSS (Linux: "5" to clear_refs).
void ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

const History& CachedHistory(size_t txns, bool registers = false) {
  static std::map<std::pair<size_t, bool>, std::unique_ptr<History>> cache;
  auto& h = cache[{txns, registers}];
  if (!h) {
    cache.clear();  // one big history at a time
    isolation::ListAppendGenOptions o;
    o.seed = 42;
    o.txns = txns;
    o.registers = registers;
    o.processes = 16;
    o.active_keys = 100;
    o.max_mops = 4;
    o.max_writes_per_key = 32;
    o.fail_fraction = 0.01;
    o.info_fraction = 0.01;
    auto fresh = std::make_unique<History>(isolation::GenerateSerializableListAppend(o));
    cache[{txns, registers}] = std::move(fresh);
    return *cache[{txns, registers}];
  }
  return *h;
}

void CheckGenerated(benchmark::State& state, bool registers) {
  const size_t txns = static_cast<size_t>(state.range(0));
  const History& h = CachedHistory(txns, registers);
  const double history_rss = StatusBytes("VmRSS");
  double peak = 0;
  for (auto _ : state) {
    ResetPeakRss();
    Verdict v = CheckIsolation(h);
    peak = std::max(peak, StatusBytes("VmHWM"));
    if (!v.ok()) state.SkipWithError(("expected ok, got " + v.summary).c_str());
    benchmark::DoNotOptimize(v);
  }
  state.counters["txns"] = static_cast<double>(txns);
  state.counters["peak_rss_bytes"] = peak;
  state.counters["history_rss_bytes"] = history_rss;
  state.counters["txns_per_second"] =
      benchmark::Counter(static_cast<double>(txns), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_CheckListAppend(benchmark::State& state) { CheckGenerated(state, false); }
// The same shape as rw-register ([:w k v], [:r k v]): includes the version
// inference from process and real-time order (order_versions.h).
void BM_CheckRwRegister(benchmark::State& state) { CheckGenerated(state, true); }

BENCHMARK(BM_CheckRwRegister)->Arg(100'000)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_CheckRwRegister)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(1);
BENCHMARK(BM_CheckListAppend)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_CheckListAppend)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3);

}  // namespace
}  // namespace txlab

// Elle's own performance history (huge-scc.edn, 10,301 ops, one enormous
// strongly connected component): parsing, and checking it. Goal: well under
// a second (Elle times out its cycle search on it).
namespace {
std::string HugeSccText() {
  std::ifstream in(TXLAB_SHARED_HISTORIES "/elle/huge-scc.edn");
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

static void BM_ParseHugeScc(benchmark::State& state) {
  const std::string text = HugeSccText();
  for (auto _ : state) {
    txlab::History h;
    if (!txlab::ReadEdnHistory(text, &h).ok) state.SkipWithError("huge-scc.edn did not parse");
    benchmark::DoNotOptimize(h.data());
  }
}
BENCHMARK(BM_ParseHugeScc)->Unit(benchmark::kMillisecond);

static void BM_CheckHugeScc(benchmark::State& state) {
  txlab::History h;
  if (!txlab::ReadEdnHistory(HugeSccText(), &h).ok) {
    state.SkipWithError("huge-scc.edn did not parse");
    return;
  }
  for (auto _ : state) {
    txlab::Verdict v = txlab::CheckIsolation(h);
    if (!v.illegal()) state.SkipWithError("huge-scc.edn must be invalid");
  }
}
BENCHMARK(BM_CheckHugeScc)->Unit(benchmark::kMillisecond);
