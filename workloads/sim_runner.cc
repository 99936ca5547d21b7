// The deterministic simulation runner: a fresh engine on a VirtualClock, the
// clients as coroutines driven by the Scheduler, then a final read of the
// whole state by a fresh client, all on the calling thread.
#include <chrono>
#include <ostream>

#include <fmt/format.h>

#include "impl/engine/engine.h"
#include "workloads/client.h"
#include "workloads/runner.h"
#include "workloads/scheduler.h"

namespace txlab {
namespace {

// Random streams derived from the run's seed.
enum Stream : uint64_t { kSchedulerStream = 1 };

class SimControl final : public RunControl {
 public:
  SimControl(const RunConfig& c, const VirtualClock& clock, int64_t start_ns)
      : config_(c), clock_(clock), start_ns_(start_ns) {}
  bool ShouldStop() override {
    if (stopped_) return true;
    if ((config_.ops > 0 && started_ >= config_.ops) ||
        (config_.duration_ns > 0 && clock_.MonotonicNs() - start_ns_ >= config_.duration_ns)) {
      stopped_ = true;
      return true;
    }
    ++started_;
    if (config_.progress && started_ % 4096 == 0) ReportProgress();
    return false;
  }
  uint64_t OrderKey(int64_t) override { return ++seq_; }
  void Stop() { stopped_ = true; }

  // A line on the progress stream at most once per wall-clock second.
  void ReportProgress() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_report_ < std::chrono::seconds(1)) return;
    last_report_ = now;
    *config_.progress << fmt::format("  {} txns started, {:.2f}s virtual\n", started_,
                                     (clock_.MonotonicNs() - start_ns_) / 1e9)
                      << std::flush;
  }

 private:
  const RunConfig& config_;
  const VirtualClock& clock_;
  int64_t start_ns_;
  int64_t started_ = 0;
  bool stopped_ = false;
  uint64_t seq_ = 0;
  std::chrono::steady_clock::time_point last_report_ = std::chrono::steady_clock::now();
};


Task<void> FinalReads(ClientEnv& env, std::vector<Txn> txns) {
  for (Txn& t : txns) co_await RunAndRecord(env, std::move(t), 0);
}

class SimRunner final : public Runner {
 public:
  RunOutput Run(const RunConfig& c) override {
    ValidateConfig(c);
    const auto wall_start = std::chrono::steady_clock::now();
    std::unique_ptr<Workload> workload = WorkloadFor(c);
    VirtualClock clock;
    EngineOptions eo;
    eo.clock = &clock;
    eo.active_expire = false;
    eo.lua_random_seed = c.seed;
    Engine engine(eo);
    {
      auto setup = engine.Connect();
      for (const auto& argv : workload->SetupCommands()) setup->Call(argv);
    }
    RunOutput out;
    std::vector<std::unique_ptr<ClientEnv>> envs;
    {
      Scheduler sched(engine, clock, Rng::Derive(c.seed, kSchedulerStream), c.sim);
      const int64_t start_ns = clock.MonotonicNs();
      SimControl control(c, clock, start_ns);
      for (int i = 0; i < c.clients; ++i) {
        int slot = sched.AddClient();
        envs.push_back(MakeClientEnv(c, slot, slot, sched.connection(slot), *workload, control, start_ns));
        ClientEnv* env = envs.back().get();
        sched.SetProgram(
            slot, [env] { return ClientLoop(*env); },
            [env] { AbandonInFlight(*env, AbortReason::kCrashed); });
      }
      const auto clients_start = std::chrono::steady_clock::now();
      const int64_t cpu_start = ThreadCpuNs();
      sched.Run();
      out.clients_cpu_ns = ThreadCpuNs() - cpu_start;
      out.clients_wall_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::steady_clock::now() - clients_start)
                                .count();
      out.elapsed_ns = clock.MonotonicNs() - start_ns;

      // A fresh client reads the final state (faults off: nothing is left
      // to crash into). Its process id is above every id used so far.
      int64_t process = 0;
      for (auto& e : envs) process = std::max(process, e->process + 1);
      RunConfig quiet = c;
      quiet.sim.crash_probability = 0;
      quiet.sim.pause_probability = 0;
      Scheduler final_sched(engine, clock, Rng::Derive(c.seed, kSchedulerStream + 1), quiet.sim);
      int slot = final_sched.AddClient();
      envs.push_back(MakeClientEnv(c, c.clients, process, final_sched.connection(slot), *workload, control, start_ns));
      ClientEnv* env = envs.back().get();
      std::vector<Txn> reads = workload->FinalReads();
      final_sched.SetProgram(slot, [env, reads] { return FinalReads(*env, reads); }, nullptr);
      final_sched.Run();
      if (!c.sim.final_keys_pattern.empty()) {
        const Reply keys = engine.Connect()->Call(std::vector<std::string>{"KEYS", c.sim.final_keys_pattern});
        for (const Reply& k : keys.elems()) out.final_keys.push_back(k.str());
      }

      out.steps = sched.steps();
      out.pauses = sched.pauses();
      out.crashes = sched.crashes();
      out.crashes_after_apply = sched.crashes_after_apply();
      envs.back()->metrics = EmptyMetrics(c);  // the final reads are not part of the measurement
      out.metrics = EmptyMetrics(c);
      std::vector<const ClientLog*> logs;
      for (auto& e : envs) {
        for (size_t i = 0; i < out.metrics.size(); ++i) out.metrics[i].Merge(e->metrics[i]);
        logs.push_back(&e->log);
      }
      if (c.record) out.history = BuildHistory(*workload, logs, &out.op_strategy);
      // The schedulers (and their sessions) go before the engine.
    }
    out.wall_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - wall_start)
                      .count();
    return out;
  }
};

}  // namespace

std::unique_ptr<Runner> MakeSimRunner() { return std::make_unique<SimRunner>(); }

}  // namespace txlab
