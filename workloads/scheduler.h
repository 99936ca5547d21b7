// Scheduler: the heart of the deterministic simulator.
//
// Every client is a coroutine whose Connection (a SimConnection) never runs a
// command itself: it parks the command and suspends. The scheduler, on one
// thread, repeatedly picks one client at random (seeded) among those with
// something to do, runs that one command on the client's Session, advances
// the VirtualClock by the command's cost, and resumes the client, which runs
// until its next command. So clients interleave at command granularity, and
// the same seed gives the same interleaving, byte for byte.
//
// Sleeps (backoff) wake at a virtual time; when nothing is ready the clock
// jumps to the next wake-up. Faults are decided at each step: a pause makes
// the chosen client ineligible for pause_ns of virtual time (its parked
// command runs afterwards: a stop-the-world pause between two commands); a
// crash destroys the client's coroutine frames, closes its Session and
// restarts it (the crash handler records the txn in flight). A crash falls
// either before the parked command is sent or, with probability
// crash_after_apply, after the server applied it and before the reply
// reached the client (so an EXEC, a script or a lock grant may have taken
// effect and the reply is lost). Every choice is drawn from the one seeded
// Rng, so crashes of both kinds replay byte for byte.
//
// Not thread-safe: one thread drives everything.
#ifndef TXLAB_WORKLOADS_SCHEDULER_H_
#define TXLAB_WORKLOADS_SCHEDULER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "impl/engine/clock.h"
#include "impl/engine/engine.h"
#include "impl/txn/connection.h"
#include "impl/txn/random.h"
#include "impl/txn/task.h"
#include "workloads/runner.h"

namespace txlab {

class Scheduler {
 public:
  // engine and clock are not owned and must outlive the scheduler; the
  // engine must use `clock`.
  Scheduler(Engine& engine, VirtualClock& clock, uint64_t seed, const SimOptions& options);
  ~Scheduler();

  // Adds a client with its own Session; the connection lives as long as the
  // scheduler. Returns its slot (0, 1, ...).
  int AddClient();
  Connection& connection(int slot);

  // Sets what the client runs: `make_root` builds its coroutine (called
  // again after a crash), `on_crash` is called when it crashes (before the
  // frames are destroyed). The client starts at the next Run().
  void SetProgram(int slot, std::function<Task<void>()> make_root, std::function<void()> on_crash);

  // Runs until every client's program finished. Rethrows an exception that
  // escaped a client. Throws std::runtime_error after max_steps.
  void Run();

  uint64_t steps() const { return steps_; }
  uint64_t pauses() const { return pauses_; }
  uint64_t crashes() const { return crashes_; }
  // Of crashes(), those injected after the command was applied.
  uint64_t crashes_after_apply() const { return crashes_after_apply_; }

 private:
  class SimConnection;
  struct Client;

  void Crash(Client& c);
  bool CrashesAt(const PendingCall& call) const;

  Engine& engine_;
  VirtualClock& clock_;
  Rng rng_;
  SimOptions options_;
  std::vector<std::unique_ptr<Client>> clients_;
  uint64_t steps_ = 0;
  uint64_t pauses_ = 0;
  uint64_t crashes_ = 0;
  uint64_t crashes_after_apply_ = 0;
};

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_SCHEDULER_H_
