// Interleaver: runs one scenario's clients under one strategy, one command
// at a time, in the order a Chooser dictates.
//
// Each client runs its Txn through the strategy's public API (MakeStrategy,
// Strategy::Run) over a ParkingConnection, which parks every command and
// every sleep, so the client's coroutine suspends at each one. The loop then
// asks the Chooser which enabled client goes next, runs that client's parked
// command on its own Session of a fresh engine and resumes it until it parks
// again. Everything happens on the calling thread; the same choices give the
// same run.
//
// The engine starts with the scenario's setup and the strategies' scripts
// already loaded (a warm server).
//
// Time: a VirtualClock advances 20 us per command; a sleep (retry backoff,
// lock-wait) is a yield that takes no virtual time. So the 100 ms lock
// leases never expire inside a scenario: the table shows each strategy's
// isolation, not its lease safety (that is the lease tests' subject).
//
// Sleeps: a client that sleeps (backoff) is offered again at any time, but
// waking it while another client has a command ready, or before a client
// that fell asleep earlier, counts as a preemption (Decision::Cost): by
// default a backoff outlasts the others' commands and sleepers wake first in,
// first out. This keeps waiters from spinning for free.
#ifndef TXLAB_WORKLOADS_HERMITAGE_INTERLEAVER_H_
#define TXLAB_WORKLOADS_HERMITAGE_INTERLEAVER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "workloads/hermitage/scenarios.h"

namespace txlab::hermitage {

// Stalls: with stalls enabled, a choice that preempts the current client may
// ask for a stall, Stall(c): the virtual clock first jumps kStallUs (longer
// than every lock lease), as if the preempted client (and everyone else) had
// been paused by a GC or SIGSTOP, then client c runs. Every lease taken
// before the stall has expired. This is how the lease-based strategies lose
// mutual exclusion (SEMANTICS §5.2-5.3).
inline constexpr int kStallFlag = 1 << 20;
inline constexpr int64_t kStallUs = 150'000;  // 150 ms > the 100 ms default lease
inline int Stall(int client) { return client | kStallFlag; }

// A scheduling point with more than one enabled client.
struct Decision {
  std::vector<int> enabled;   // clients that may run next, ascending
  // Those of them whose next step is a wake-up, in the order they fell
  // asleep.
  std::vector<int> sleeping;
  int current = -1;           // the client that ran last (-1 at the start)
  // current has a command parked (it neither yielded nor finished): choosing
  // another client preempts it.
  bool current_runnable = false;
  int preemptions = 0;  // preemptions before this decision
  bool stalls = false;  // a preempting choice may be Stall(client)
  int chosen = -1;      // filled by RunInterleaving (may carry kStallFlag)

  // 1 if running `client` next is a preemption: the current client has a
  // command ready, or `client` is asleep while some client has one, or
  // `client` wakes before a client that fell asleep earlier. Else 0.
  int Cost(int client) const;
  // The choice that costs nothing: the current client if it has a command
  // ready, else the lowest client with one, else the first to fall asleep.
  int Default() const;
};

class Chooser {
 public:
  virtual ~Chooser() = default;
  // Returns one of d.enabled, or Stall(c) for such a c that preempts the
  // current client when d.stalls.
  virtual int Choose(const Decision& d) = 0;
  // Client `client` ran `argv`.
  virtual void Executed(int client, const std::vector<std::string>& argv) {}
  // Client `client` went to sleep (blocked or backing off) or finished.
  virtual void Stopped(int client) {}
};

struct InterleavingRun {
  Observation observation;
  std::vector<Decision> decisions;  // every point where a choice was made
  std::vector<std::string> trace;   // "T1 SET k1 11 -> OK", one per command
};

// True for the commands Hermitage's steps are counted in: any command that
// names a universe key (WATCH and UNWATCH excepted) and EXEC.
bool IsDataCommand(const std::vector<std::string>& argv);

// Runs `scenario` with every client using `strategy` (a MakeStrategy name),
// offering stalls when `stalls`. Throws std::runtime_error on an unknown
// strategy or a run longer than 10000 commands.
InterleavingRun RunInterleaving(const Scenario& scenario, std::string_view strategy, Chooser& chooser,
                                bool stalls = false);

}  // namespace txlab::hermitage

#endif  // TXLAB_WORKLOADS_HERMITAGE_INTERLEAVER_H_
