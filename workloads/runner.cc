#include "workloads/runner.h"

#include <time.h>

#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace txlab {

std::string RunConfig::StrategyLabel() const {
  if (strategies.size() == 1) return strategies[0].name;
  std::string s;
  for (const StrategyShare& x : strategies) {
    if (!s.empty()) s += '+';
    s += fmt::format("{}:{:g}", x.name, x.share);
  }
  return s;
}

nlohmann::json RunConfig::ToJson() const {
  const WorkloadOptions& w = workload_options;
  nlohmann::json strategies_json = nlohmann::json::array();
  for (const StrategyShare& s : strategies) strategies_json.push_back({{"name", s.name}, {"share", s.share}});
  return {
      {"workload", workload},
      {"workload_options",
       {{"accounts", w.accounts},
        {"initial_balance", w.initial_balance},
        {"max_transfer", w.max_transfer},
        {"counter_keys", w.counter_keys},
        {"keys", w.keys},
        {"max_writes_per_key", w.max_writes_per_key},
        {"min_ops", w.min_ops},
        {"max_ops", w.max_ops},
        {"ycsb_keys", w.ycsb_keys},
        {"zipf_theta", w.zipf_theta},
        {"ops_per_txn", w.ops_per_txn},
        {"read_fraction", w.read_fraction}}},
      {"key_tags", key_tags},
      {"strategies", strategies_json},
      {"runner", runner},
      {"target", target},
      {"clients", clients},
      {"duration_ns", duration_ns},
      {"ops", ops},
      {"seed", seed},
      {"strategy_options",
       {{"max_attempts", strategy_options.max_attempts},
        {"backoff_base_ns", strategy_options.backoff.base_ns},
        {"backoff_cap_ns", strategy_options.backoff.cap_ns},
        {"lock_ttl_ms", strategy_options.lock_ttl_ms},
        {"lock_wait_tries", strategy_options.lock_wait_tries}}},
      {"sim",
       {{"command_cost_ns", sim.command_cost_ns},
        {"pause_probability", sim.pause_probability},
        {"pause_ns", sim.pause_ns},
        {"crash_probability", sim.crash_probability},
        {"crash_after_apply", sim.crash_after_apply},
        {"crash_command", sim.crash_command},
        {"max_steps", sim.max_steps}}},
      {"record", record},
  };
}

int64_t ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

std::string ResolvedHashTag(const RunConfig& c) {
  if (c.key_tags == "none") return "";
  if (c.key_tags != "auto") return c.key_tags;
  if (c.target.rfind("cluster://", 0) != 0) return "";
  for (const StrategyShare& s : c.strategies) {
    if (StrategyNeedsOneSlot(s.name)) return c.workload;
  }
  return "";
}

std::unique_ptr<Workload> WorkloadFor(const RunConfig& config) {
  WorkloadOptions o = config.workload_options;
  if (o.hash_tag.empty()) o.hash_tag = ResolvedHashTag(config);
  auto w = MakeWorkload(config.workload, o);
  if (!w) throw std::invalid_argument("unknown workload '" + config.workload + "'");
  return w;
}

void ValidateConfig(const RunConfig& c) {
  if (c.clients < 1) throw std::invalid_argument("clients must be >= 1");
  if (c.duration_ns <= 0 && c.ops <= 0) throw std::invalid_argument("a run needs a duration or an op count");
  if (c.strategies.empty()) throw std::invalid_argument("no strategy");
  if (!(c.sim.crash_after_apply >= 0 && c.sim.crash_after_apply <= 1)) {
    throw std::invalid_argument("crash_after_apply must be in [0, 1]");
  }
  if (c.strategies.size() > 255) throw std::invalid_argument("too many strategies in one run");
  if (c.key_tags.empty() || c.key_tags.find_first_of("{}") != std::string::npos) {
    throw std::invalid_argument("key tags must be auto, none or a non-empty tag without braces, not '" + c.key_tags +
                                "'");
  }
  double total = 0;
  for (const StrategyShare& s : c.strategies) {
    if (!MakeStrategy(s.name, c.strategy_options, 0, 0)) {
      throw std::invalid_argument("unknown strategy '" + s.name + "'");
    }
    if (!(s.share > 0)) throw std::invalid_argument("strategy share must be > 0");
    total += s.share;
  }
  (void)total;
}

std::vector<double> CumulativeShares(const RunConfig& c) {
  double total = 0;
  for (const StrategyShare& s : c.strategies) total += s.share;
  std::vector<double> cum;
  double acc = 0;
  for (const StrategyShare& s : c.strategies) {
    acc += s.share / total;
    cum.push_back(acc);
  }
  cum.back() = 1.0;
  return cum;
}

std::vector<StrategyMetrics> EmptyMetrics(const RunConfig& c) {
  std::vector<StrategyMetrics> m(c.strategies.size());
  for (size_t i = 0; i < m.size(); ++i) m[i].strategy = c.strategies[i].name;
  return m;
}

std::unique_ptr<ClientEnv> MakeClientEnv(const RunConfig& c, int slot, int64_t process, Connection& conn,
                                         Workload& w, RunControl& control, int64_t start_ns) {
  // Random streams derived from the run's seed: one per client, one per
  // (client, strategy).
  constexpr uint64_t kClientStream = 1000, kStrategyStream = 100000;
  auto env = std::make_unique<ClientEnv>();
  env->slot = slot;
  env->process = process;
  env->process_stride = c.clients;
  env->conn = &conn;
  env->workload = &w;
  env->control = &control;
  for (size_t i = 0; i < c.strategies.size(); ++i) {
    env->strategies.push_back(MakeStrategy(c.strategies[i].name, c.strategy_options,
                                           Rng::Derive(c.seed, kStrategyStream + slot * 256 + i), slot));
  }
  env->cumulative_share = CumulativeShares(c);
  env->rng = Rng(Rng::Derive(c.seed, kClientStream + slot));
  env->start_ns = start_ns;
  env->record = c.record;
  env->metrics = EmptyMetrics(c);
  return env;
}

std::unique_ptr<Runner> MakeRunner(const std::string& name) {
  if (name == "sim") return MakeSimRunner();
  if (name == "threads") return MakeThreadRunner();
  return nullptr;
}

}  // namespace txlab
