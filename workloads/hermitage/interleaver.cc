#include "workloads/hermitage/interleaver.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

#include "impl/engine/clock.h"
#include "impl/engine/engine.h"
#include "impl/txn/connection.h"
#include "impl/txn/script.h"
#include "impl/txn/strategy.h"
#include "impl/txn/task.h"
#include "impl/txn/txn_eval.h"

namespace txlab::hermitage {
namespace {

constexpr int64_t kCommandCostUs = 20;
constexpr int kMaxCommands = 10000;

// Parks every command and sleep; the interleaving loop runs them.
class ParkingConnection final : public Connection {
 public:
  explicit ParkingConnection(const VirtualClock& clock) : clock_(clock) {}
  int64_t NowNs() const override { return clock_.MonotonicNs(); }

  PendingCall* call = nullptr;
  PendingSleep* sleep = nullptr;

 protected:
  bool Submit(PendingCall* c) override {
    call = c;
    return false;
  }
  bool SubmitSleep(PendingSleep* s) override {
    sleep = s;
    return false;
  }

 private:
  const VirtualClock& clock_;
};

Task<void> ClientMain(Strategy& strategy, Connection& conn, const Txn& txn, Outcome* out) {
  *out = co_await strategy.Run(conn, txn);
}

struct Client {
  std::unique_ptr<Session> session;
  std::unique_ptr<ParkingConnection> conn;
  std::unique_ptr<Strategy> strategy;
  Outcome outcome;
  Task<void> root;
  uint64_t slept_at = 0;  // when it fell asleep (a step number)

  bool done() const { return root.done(); }
  bool enabled() const { return !done() && (conn->call || conn->sleep); }
};

std::string Join(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) {
    if (!s.empty()) s += ' ';
    // Script bodies and SHA1s make traces unreadable: abridge long words.
    s += a.size() > 16 ? a.substr(0, 8) + "…" : a;
  }
  return s;
}

}  // namespace

int Decision::Cost(int client) const {
  if (current_runnable && client != current) return 1;
  bool asleep = std::find(sleeping.begin(), sleeping.end(), client) != sleeping.end();
  if (!asleep) return 0;
  return sleeping.size() < enabled.size() || client != sleeping[0] ? 1 : 0;
}

int Decision::Default() const {
  if (current_runnable) return current;
  for (int c : enabled) {
    if (std::find(sleeping.begin(), sleeping.end(), c) == sleeping.end()) return c;
  }
  return sleeping[0];
}

bool IsDataCommand(const std::vector<std::string>& argv) {
  if (argv.empty()) return false;
  std::string name = argv[0];
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  if (name == "EXEC") return true;
  if (name == "WATCH" || name == "UNWATCH") return false;
  const std::vector<std::string>& keys = UniverseKeys();
  for (size_t i = 1; i < argv.size(); ++i) {
    if (std::find(keys.begin(), keys.end(), argv[i]) != keys.end()) return true;
  }
  return false;
}

InterleavingRun RunInterleaving(const Scenario& scenario, std::string_view strategy, Chooser& chooser,
                                bool stalls) {
  VirtualClock clock;
  EngineOptions eo;
  eo.clock = &clock;
  eo.active_expire = false;
  eo.lua_random_seed = 1;
  Engine engine(eo);
  {
    auto setup = engine.Connect();
    for (const auto& argv : SetupCommands()) setup->Call(argv);
    // A warm server: the strategies' scripts are cached, so no run spends
    // commands (and scheduling points) on NOSCRIPT and SCRIPT LOAD.
    for (const Script* script : {&TxnScript(), &ReleaseLockScript(), &FencedAcquireScript(), &FencedReadScript(),
                                 &FencedWriteScript(), &TwoPcReadScript(), &TwoPcPrepareScript(),
                                 &TwoPcFinishScript(), &TwoPcDecideScript()}) {
      setup->Call(std::vector<std::string>{"SCRIPT", "LOAD", script->body()});
    }
  }
  StrategyOptions so;  // defaults: 30 attempts, 100 ms leases
  const size_t n = scenario.txns.size();
  std::vector<Client> clients(n);
  for (size_t i = 0; i < n; ++i) {
    Client& c = clients[i];
    c.session = engine.Connect();
    c.conn = std::make_unique<ParkingConnection>(clock);
    c.strategy = MakeStrategy(strategy, so, /*seed=*/1000 + i, /*client_id=*/static_cast<int64_t>(i) + 1);
    if (!c.strategy) throw std::runtime_error("unknown strategy " + std::string(strategy));
    c.root = ClientMain(*c.strategy, *c.conn, scenario.txns[i], &c.outcome);
  }
  for (Client& c : clients) c.root.Start();

  InterleavingRun run;
  int current = -1;
  int preemptions = 0;
  int commands = 0;
  uint64_t steps = 0;
  std::vector<int> enabled;
  for (;;) {
    enabled.clear();
    for (size_t i = 0; i < n; ++i) {
      if (clients[i].enabled()) enabled.push_back(static_cast<int>(i));
    }
    if (enabled.empty()) break;
    const bool current_runnable = current >= 0 && !clients[current].done() && clients[current].conn->call;
    int chosen = enabled[0];
    if (enabled.size() > 1) {
      Decision d;
      d.enabled = enabled;
      for (int i : enabled) {
        if (!clients[i].conn->call) d.sleeping.push_back(i);
      }
      std::stable_sort(d.sleeping.begin(), d.sleeping.end(),
                       [&](int a, int b) { return clients[a].slept_at < clients[b].slept_at; });
      d.current = current;
      d.current_runnable = current_runnable;
      d.preemptions = preemptions;
      d.stalls = stalls;
      const int raw = chooser.Choose(d);
      const bool stall = (raw & kStallFlag) != 0;
      chosen = raw & ~kStallFlag;
      if (std::find(enabled.begin(), enabled.end(), chosen) == enabled.end()) {
        throw std::logic_error("chooser picked a client that is not enabled");
      }
      if (stall) {
        if (!stalls || !current_runnable || chosen == current) throw std::logic_error("stall where none is offered");
        clock.AdvanceUs(kStallUs);
        run.trace.push_back("-- stall: " + std::to_string(kStallUs / 1000) + " ms pass, every lease expires --");
      }
      d.chosen = raw;
      preemptions += d.Cost(chosen);
      run.decisions.push_back(std::move(d));
    }
    current = chosen;
    Client& c = clients[chosen];
    if (c.conn->call) {
      if (++commands > kMaxCommands) {
        throw std::runtime_error("interleaving exceeded " + std::to_string(kMaxCommands) + " commands");
      }
      PendingCall* call = c.conn->call;
      c.conn->call = nullptr;
      call->reply = c.session->Call(call->argv);
      clock.AdvanceUs(kCommandCostUs);
      run.trace.push_back("T" + std::to_string(chosen + 1) + " " + Join(call->argv) + " -> " + call->reply.ToString());
      chooser.Executed(chosen, call->argv);
      call->waiter.resume();
    } else {
      PendingSleep* s = c.conn->sleep;
      c.conn->sleep = nullptr;
      s->waiter.resume();
    }
    if (!c.done() && !c.conn->call && c.conn->sleep) c.slept_at = ++steps;
    if (c.done() || (!c.conn->call && c.conn->sleep)) chooser.Stopped(chosen);
  }
  for (Client& c : clients) {
    if (!c.done()) throw std::logic_error("a client suspended without a command or sleep");
    c.root.Result();  // rethrows what escaped a client
    run.observation.outcomes.push_back(c.outcome);
  }
  auto reader = engine.Connect();
  for (const std::string& k : UniverseKeys()) {
    std::optional<int64_t> v;
    ParseRegister(reader->Call(std::vector<std::string>{"GET", k}), &v);
    run.observation.final_state[k] = v;
  }
  // Frames (which point into connections and strategies) before sessions.
  for (Client& c : clients) c.root = Task<void>();
  return run;
}

}  // namespace txlab::hermitage
