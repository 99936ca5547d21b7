#include "workloads/scheduler.h"

#include <cctype>
#include <limits>
#include <stdexcept>

namespace txlab {

namespace {
int64_t CeilUs(int64_t ns) { return (ns + 999) / 1000; }
}  // namespace

struct Scheduler::Client {
  std::unique_ptr<SimConnection> conn;
  std::function<Task<void>()> make_root;
  std::function<void()> on_crash;
  Task<void> root;
  bool started = false;
  PendingCall* call = nullptr;    // parked command
  PendingSleep* sleep = nullptr;  // parked sleep
  int64_t wake_us = 0;            // when `sleep` ends
  int64_t paused_until_us = 0;    // injected pause
};

class Scheduler::SimConnection final : public Connection {
 public:
  SimConnection(Scheduler& s, Client& c) : s_(s), c_(c), session_(s.engine_.Connect()) {}

  int64_t NowNs() const override { return s_.clock_.MonotonicNs(); }
  Session& session() { return *session_; }
  // A crash: the old session disconnects (its MULTI and WATCHes are
  // dropped; its locks stay until their leases expire).
  void Reconnect() {
    session_.reset();
    session_ = s_.engine_.Connect();
  }

 protected:
  bool Submit(PendingCall* call) override {
    c_.call = call;
    return false;
  }
  bool SubmitSleep(PendingSleep* sleep) override {
    c_.sleep = sleep;
    c_.wake_us = s_.clock_.NowUs() + CeilUs(sleep->ns);
    return false;
  }

 private:
  Scheduler& s_;
  Client& c_;
  std::unique_ptr<Session> session_;
};

Scheduler::Scheduler(Engine& engine, VirtualClock& clock, uint64_t seed, const SimOptions& options)
    : engine_(engine), clock_(clock), rng_(seed), options_(options) {}

Scheduler::~Scheduler() {
  // Frames first (they point into connections), then sessions.
  for (auto& c : clients_) c->root = Task<void>();
}

int Scheduler::AddClient() {
  auto c = std::make_unique<Client>();
  c->conn = std::make_unique<SimConnection>(*this, *c);
  clients_.push_back(std::move(c));
  return static_cast<int>(clients_.size()) - 1;
}

Connection& Scheduler::connection(int slot) { return *clients_[slot]->conn; }

void Scheduler::SetProgram(int slot, std::function<Task<void>()> make_root, std::function<void()> on_crash) {
  Client& c = *clients_[slot];
  c.make_root = std::move(make_root);
  c.on_crash = std::move(on_crash);
  c.root = Task<void>();
  c.started = false;
  c.call = nullptr;
  c.sleep = nullptr;
}

void Scheduler::Crash(Client& c) {
  ++crashes_;
  if (c.on_crash) c.on_crash();
  c.call = nullptr;
  c.sleep = nullptr;
  c.root = c.make_root();  // destroys the old frames, builds a fresh loop
  c.conn->Reconnect();
  c.root.Start();
}

bool Scheduler::CrashesAt(const PendingCall& call) const {
  if (options_.crash_command.empty()) return true;
  if (call.argv.empty() || call.argv[0].size() != options_.crash_command.size()) return false;
  for (size_t i = 0; i < call.argv[0].size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(call.argv[0][i])) !=
        std::toupper(static_cast<unsigned char>(options_.crash_command[i]))) {
      return false;
    }
  }
  return true;
}

void Scheduler::Run() {
  for (auto& c : clients_) {
    if (!c->started && c->make_root) {
      c->started = true;
      c->root = c->make_root();
      c->root.Start();
    }
  }
  const int64_t cost_us = CeilUs(options_.command_cost_ns);
  const int64_t pause_us = CeilUs(options_.pause_ns);
  std::vector<Client*> ready;
  for (;;) {
    const int64_t now = clock_.NowUs();
    ready.clear();
    int64_t next_wake = std::numeric_limits<int64_t>::max();
    bool any_running = false;
    for (auto& cp : clients_) {
      Client& c = *cp;
      if (!c.root.valid() || c.root.done()) continue;
      any_running = true;
      if (c.paused_until_us > now) {
        next_wake = std::min(next_wake, c.paused_until_us);
      } else if (c.call) {
        ready.push_back(&c);
      } else if (c.sleep) {
        if (c.wake_us <= now) {
          ready.push_back(&c);
        } else {
          next_wake = std::min(next_wake, c.wake_us);
        }
      } else {
        throw std::logic_error("simulated client suspended without a command or sleep");
      }
    }
    if (!any_running) break;
    if (ready.empty()) {
      clock_.SetUs(next_wake);
      continue;
    }
    if (static_cast<int64_t>(++steps_) > options_.max_steps) {
      throw std::runtime_error("simulation exceeded max_steps (livelock?)");
    }
    Client& c = *ready[rng_.Uniform(ready.size())];
    if (!c.call) {  // a sleep ends
      PendingSleep* s = c.sleep;
      c.sleep = nullptr;
      s->waiter.resume();
      continue;
    }
    if (options_.crash_probability > 0 && CrashesAt(*c.call) && rng_.Bernoulli(options_.crash_probability)) {
      // After the command was applied, the reply is lost with the
      // connection; before, the command never reaches the server.
      if (options_.crash_after_apply > 0 && rng_.Bernoulli(options_.crash_after_apply)) {
        ++crashes_after_apply_;
        c.conn->session().Call(c.call->argv);
        clock_.AdvanceUs(cost_us);
      }
      Crash(c);
      continue;
    }
    if (options_.pause_probability > 0 && rng_.Bernoulli(options_.pause_probability)) {
      ++pauses_;
      c.paused_until_us = now + pause_us;
      continue;
    }
    PendingCall* call = c.call;
    c.call = nullptr;
    call->reply = c.conn->session().Call(call->argv);
    clock_.AdvanceUs(cost_us);
    call->waiter.resume();
  }
  for (auto& c : clients_) {
    if (c->root.valid()) c->root.Result();  // rethrows a client's exception
  }
}

}  // namespace txlab
