// The threaded runner: one OS thread per client, each with its own
// connection to the target (by default a fresh embedded engine), all
// running the same client loop synchronously, for a duration and/or a
// number of txns. Real concurrency; not reproducible.
#include <atomic>
#include <chrono>
#include <ostream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "impl/engine/engine.h"
#include "impl/txn/embedded_connection.h"
#include "workloads/client.h"
#include "workloads/runner.h"

namespace txlab {
namespace {

class ThreadControl final : public RunControl {
 public:
  explicit ThreadControl(int64_t ops) : ops_(ops) {}
  bool ShouldStop() override {
    if (stop_.load(std::memory_order_relaxed)) return true;
    if (ops_ > 0 && started_.fetch_add(1, std::memory_order_relaxed) >= ops_) return true;
    if (ops_ == 0) started_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  // Threads: the order of events is the order of their clock readings.
  uint64_t OrderKey(int64_t now_ns) override { return static_cast<uint64_t>(now_ns); }
  void Stop() { stop_.store(true); }
  int64_t started() const { return started_.load(std::memory_order_relaxed); }

 private:
  int64_t ops_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> started_{0};
};


Task<void> FinalReads(ClientEnv& env, std::vector<Txn> txns) {
  for (Txn& t : txns) co_await RunAndRecord(env, std::move(t), 0);
}

class ThreadRunner final : public Runner {
 public:
  explicit ThreadRunner(TargetFactory factory) : factory_(std::move(factory)) {
    if (!factory_) {
      factory_ = [](const RunConfig& c) {
        EngineOptions eo;
        eo.lua_random_seed = c.seed;
        return std::make_unique<FreshEngineTarget>(eo);
      };
    }
  }

  RunOutput Run(const RunConfig& c) override {
    ValidateConfig(c);
    if (c.sim.crash_probability > 0 || c.sim.pause_probability > 0) {
      throw std::invalid_argument("fault injection needs the sim runner");
    }
    std::unique_ptr<Workload> workload = WorkloadFor(c);
    std::unique_ptr<Target> target_owner = factory_(c);
    Target& target = *target_owner;
    {
      std::unique_ptr<Connection> setup = target.Connect();
      for (const auto& argv : workload->SetupCommands()) {
        Reply r = RunSync(SetupCall(*setup, argv));
        if (r.is_error()) throw std::runtime_error("set-up command failed: " + r.str());
      }
    }
    RunOutput out;
    std::vector<std::unique_ptr<Connection>> conns;
    std::vector<std::unique_ptr<ClientEnv>> envs;
    ThreadControl control(c.ops);
    const int64_t start_ns = RealClock::Get()->MonotonicNs();
    for (int i = 0; i < c.clients; ++i) {
      conns.push_back(target.Connect());
      envs.push_back(MakeClientEnv(c, i, i, *conns.back(), *workload, control, start_ns));
    }
    std::vector<std::exception_ptr> errors(c.clients);
    std::vector<int64_t> cpu_ns(c.clients, 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < c.clients; ++i) {
      threads.emplace_back([&, i] {
        const int64_t cpu_start = ThreadCpuNs();
        try {
          Task<void> root = ClientLoop(*envs[i]);
          root.Start();
          if (!root.done()) throw std::logic_error("embedded client suspended");
          root.Result();
        } catch (...) {
          errors[i] = std::current_exception();
          control.Stop();
        }
        cpu_ns[i] = ThreadCpuNs() - cpu_start;
      });
    }
    if (c.duration_ns > 0) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto end = t0 + std::chrono::nanoseconds(c.duration_ns);
      auto next_report = t0 + std::chrono::seconds(1);
      while (std::chrono::steady_clock::now() < end) {
        if (c.ops > 0 && control.started() >= c.ops) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (c.progress && c.duration_ns >= 2'000'000'000 && std::chrono::steady_clock::now() >= next_report) {
          next_report += std::chrono::seconds(1);
          double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          *c.progress << fmt::format("  {:.0f}/{:.0f} s, {} txns started\n", s, c.duration_ns / 1e9,
                                     control.started())
                      << std::flush;
        }
      }
      control.Stop();
    }
    for (auto& t : threads) t.join();
    out.elapsed_ns = RealClock::Get()->MonotonicNs() - start_ns;
    out.wall_ns = out.elapsed_ns;
    out.clients_wall_ns = out.elapsed_ns;
    for (int64_t ns : cpu_ns) out.clients_cpu_ns += ns;
    for (auto& e : errors) {
      if (e) std::rethrow_exception(e);
    }

    // Final reads by a fresh client with a fresh process id.
    int64_t process = 0;
    for (auto& e : envs) process = std::max(process, e->process + 1);
    conns.push_back(target.Connect());
    envs.push_back(MakeClientEnv(c, c.clients, process, *conns.back(), *workload, control, start_ns));
    RunSync(FinalReads(*envs.back(), workload->FinalReads()));
    envs.back()->metrics = EmptyMetrics(c);

    out.metrics = EmptyMetrics(c);
    std::vector<const ClientLog*> logs;
    for (auto& e : envs) {
      for (size_t i = 0; i < out.metrics.size(); ++i) out.metrics[i].Merge(e->metrics[i]);
      logs.push_back(&e->log);
    }
    if (c.record) out.history = BuildHistory(*workload, logs, &out.op_strategy);
    envs.clear();
    conns.clear();  // connections before their target
    return out;
  }

 private:
  static Task<Reply> SetupCall(Connection& conn, std::vector<std::string> argv) {
    co_return co_await conn.Call(std::move(argv));
  }

  TargetFactory factory_;
};

}  // namespace

std::unique_ptr<Runner> MakeThreadRunner(TargetFactory factory) {
  return std::make_unique<ThreadRunner>(std::move(factory));
}

}  // namespace txlab
