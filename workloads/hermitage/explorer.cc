#include "workloads/hermitage/explorer.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "checkers/isolation/isolation.h"
#include "model/edn.h"
#include "model/history.h"
#include "workloads/elle_txn.h"

namespace txlab::hermitage {
namespace {

// Follows `prefix` for the first decisions, then never preempts
// (Decision::Default).
class ReplayChooser final : public Chooser {
 public:
  explicit ReplayChooser(const std::vector<int>& prefix) : prefix_(prefix) {}
  int Choose(const Decision& d) override {
    if (next_ < prefix_.size()) return prefix_[next_++];
    ++next_;
    return d.Default();
  }

 private:
  const std::vector<int>& prefix_;
  size_t next_ = 0;
};

// Hermitage's step order (Scenario::primary).
class PrimaryChooser final : public Chooser {
 public:
  explicit PrimaryChooser(const std::vector<int>& steps) : steps_(steps) {}
  int Choose(const Decision& d) override {
    // A step whose client cannot run now (blocked behind a lock, or done)
    // is skipped: under locking, Hermitage's "blocks" means exactly that.
    while (step_ < steps_.size()) {
      int c = steps_[step_];
      if (std::find(d.enabled.begin(), d.enabled.end(), c) != d.enabled.end()) return c;
      ++step_;
    }
    return d.Default();
  }
  void Executed(int client, const std::vector<std::string>& argv) override {
    if (step_ < steps_.size() && steps_[step_] == client && IsDataCommand(argv)) ++step_;
  }
  void Stopped(int client) override {
    if (step_ < steps_.size() && steps_[step_] == client) ++step_;
  }

 private:
  const std::vector<int>& steps_;
  size_t step_ = 0;
};

Op MakeOp(History& h, OpType type, int64_t process, Edn value, std::string error = {}) {
  Op op;
  op.index = static_cast<int64_t>(h.size());
  op.type = type;
  op.process = process;
  op.f = "txn";
  op.value = std::move(value);
  op.error = std::move(error);
  return op;
}

// Setup txn (process 0), the clients (1..n), then a final read of every
// universe key (process n+1). Ordered invoke-all, complete-all: nothing is
// claimed about real time (the checker runs with "serializable").
History BuildHistory(const Scenario& s, const Observation& obs) {
  History h;
  constexpr size_t kPrefix = 1;  // "k"
  Txn setup;
  for (const auto& argv : SetupCommands()) {
    setup.ops.push_back(MicroOp{MicroOp::Kind::kWrite, argv[1], "", std::stoll(argv[2])});
  }
  TxnResult setup_result;
  setup_result.ops.resize(setup.ops.size());
  h.push_back(MakeOp(h, OpType::kInvoke, 0, ElleInvokeValue(setup, kPrefix)));
  h.push_back(MakeOp(h, OpType::kOk, 0, ElleOkValue(setup, setup_result, kPrefix)));
  const int64_t n = static_cast<int64_t>(s.txns.size());
  for (int64_t i = 0; i < n; ++i) h.push_back(MakeOp(h, OpType::kInvoke, i + 1, ElleInvokeValue(s.txns[i], kPrefix)));
  for (int64_t i = 0; i < n; ++i) {
    const Outcome& o = obs.outcomes[i];
    switch (o.kind) {
      case Outcome::Kind::kOk:
        h.push_back(MakeOp(h, OpType::kOk, i + 1, ElleOkValue(s.txns[i], o.result, kPrefix)));
        break;
      case Outcome::Kind::kFail:
        h.push_back(MakeOp(h, OpType::kFail, i + 1, ElleInvokeValue(s.txns[i], kPrefix),
                           std::string(AbortReasonName(o.reason))));
        break;
      case Outcome::Kind::kInfo:
        h.push_back(MakeOp(h, OpType::kInfo, i + 1, ElleInvokeValue(s.txns[i], kPrefix),
                           std::string(AbortReasonName(o.reason))));
        break;
    }
  }
  Txn final_read;
  TxnResult final_result;
  for (const std::string& k : UniverseKeys()) {
    final_read.ops.push_back(MicroOp{MicroOp::Kind::kRead, k, "", 0});
    MicroResult r;
    r.value = obs.final_state.at(k);
    final_result.ops.push_back(r);
  }
  h.push_back(MakeOp(h, OpType::kInvoke, n + 1, ElleInvokeValue(final_read, kPrefix)));
  h.push_back(MakeOp(h, OpType::kOk, n + 1, ElleOkValue(final_read, final_result, kPrefix)));
  return h;
}

// A run's observable outcome, for memoising the checker: many schedules
// end with the same reads and the same final state.
std::string ObservationKey(const Observation& obs) {
  std::string k;
  for (const Outcome& o : obs.outcomes) {
    k += OutcomeKindName(o.kind);
    for (const MicroResult& r : o.result.ops) k += "," + (r.value ? std::to_string(*r.value) : "nil");
    k += ';';
  }
  for (const auto& [key, v] : obs.final_state) k += key + "=" + (v ? std::to_string(*v) : "nil") + ";";
  return k;
}

struct Search {
  const Scenario& scenario;
  std::string_view strategy;
  bool stalls;
  const ExploreOptions& options;
  CellResult& cell;
  std::map<std::string, std::vector<std::string>> elle_memo;

  // Judges one run; returns whether it exhibited the anomaly.
  bool Judge(const InterleavingRun& run) {
    const Observation& obs = run.observation;
    for (const Outcome& o : obs.outcomes) {
      if (o.kind == Outcome::Kind::kOk) ++cell.commits;
      cell.aborts += o.aborts.Total();
      cell.abort_reasons += o.aborts;
    }
    if (options.elle && scenario.elle) {
      std::string key = ObservationKey(obs);
      auto it = elle_memo.find(key);
      if (it == elle_memo.end()) it = elle_memo.emplace(key, ElleAnomalies(scenario, obs)).first;
      cell.elle_anomalies.insert(it->second.begin(), it->second.end());
    }
    std::string anomaly = scenario.check(obs);
    if (anomaly.empty()) return false;
    if (!cell.observed) {
      cell.observed = true;
      cell.witness = anomaly;
      cell.witness_trace = run.trace;
    }
    return true;
  }

  // Runs the schedule that follows `prefix` and then never preempts, then
  // every schedule that departs from it at a later decision within the bound.
  void Explore(std::vector<int> prefix) {
    if (cell.schedules >= options.max_schedules) {
      cell.complete = false;
      return;
    }
    ReplayChooser chooser(prefix);
    InterleavingRun run = RunInterleaving(scenario, strategy, chooser, stalls);
    ++cell.schedules;
    if (Judge(run)) ++cell.anomalous;
    std::vector<int> choices;
    for (const Decision& d : run.decisions) choices.push_back(d.chosen);
    for (size_t i = prefix.size(); i < run.decisions.size(); ++i) {
      const Decision& d = run.decisions[i];
      for (int alt : d.enabled) {
        int cost = d.preemptions + d.Cost(alt);
        if (cost > options.preemption_bound) continue;
        std::vector<int> alternatives = {alt};
        if (d.stalls && d.current_runnable && alt != d.current) alternatives.push_back(Stall(alt));
        for (int a : alternatives) {
          if (a == d.chosen) continue;
          std::vector<int> next(choices.begin(), choices.begin() + static_cast<std::ptrdiff_t>(i));
          next.push_back(a);
          Explore(std::move(next));
        }
      }
    }
  }
};

}  // namespace

std::vector<std::string> ElleAnomalies(const Scenario& scenario, const Observation& obs) {
  if (!scenario.elle) return {};
  IsolationOptions io;
  io.workload = isolation::WorkloadKind::kRwRegister;
  io.consistency_model = "serializable";
  io.wfr_keys = true;  // every strategy reads before it writes
  IsolationReport report = AnalyzeIsolation(BuildHistory(scenario, obs), io);
  std::vector<std::string> types;
  if (!report.input_ok) {
    types.push_back("input-error: " + report.input_error);
    return types;
  }
  for (const auto& [type, count] : report.counts) {
    if (count > 0) types.push_back(type);
  }
  return types;
}

CellResult ExploreCell(const Scenario& scenario, std::string_view strategy, const ExploreOptions& options) {
  CellResult cell;
  cell.scenario = scenario.id;
  cell.strategy = std::string(strategy);
  // "lock/stall": strategy "lock" with stalls offered.
  const size_t slash = strategy.find('/');
  const bool stalls = slash != std::string_view::npos && strategy.substr(slash + 1) == "stall";
  if (slash != std::string_view::npos && !stalls) throw std::runtime_error("unknown column " + cell.strategy);
  strategy = strategy.substr(0, slash);
  Search search{scenario, strategy, stalls, options, cell, {}};
  if (options.primary) {
    PrimaryChooser primary(scenario.primary);
    InterleavingRun run = RunInterleaving(scenario, strategy, primary, stalls);
    cell.primary_observed = search.Judge(run);
  }
  search.Explore({});
  return cell;
}

}  // namespace txlab::hermitage
