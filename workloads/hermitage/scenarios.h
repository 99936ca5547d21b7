// Hermitage scenarios (SEMANTICS.md §7; ept/hermitage): the anomaly tests
// of Hermitage, rewritten as one Txn per client over a Redis keyspace.
//
// Every scenario starts from a fresh engine holding k1=10, k2=20 (Hermitage's
// `test` table {(1,10),(2,20)}); k3 and k4 are the rows a predicate test may
// insert. A predicate read ("where value % 3 = 0") is a read of every key of
// the bounded universe {k1..k4}, absent keys included: the strategies watch or
// lock each of those keys, which is what a range/next-key lock would cover.
//
// What the Txn vocabulary cannot say, and what that implies (the reasons are
// repeated in results/hermitage/expected.tsv):
//   * a txn cannot abort after writing: the only voluntary abort is a refused
//     transfer, decided from the reads before any write is sent (G1a);
//   * a txn's writes reach the store once per key, with the last value: the
//     strategies coalesce them client-side (G1b);
//   * a txn reads each key from the store once, before it writes; a second
//     read of a key is answered from the first (PMP, G1c).
// Those scenarios still run: they show the property holds for every strategy
// by construction, not by concurrency control.
#ifndef TXLAB_WORKLOADS_HERMITAGE_SCENARIOS_H_
#define TXLAB_WORKLOADS_HERMITAGE_SCENARIOS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "impl/txn/txn.h"

namespace txlab::hermitage {

// The keys a scenario may touch, and their values before it starts.
const std::vector<std::string>& UniverseKeys();  // k1, k2, k3, k4
std::vector<std::vector<std::string>> SetupCommands();  // SET k1 10, SET k2 20

// What one run produced.
struct Observation {
  std::vector<Outcome> outcomes;  // one per client, in client order
  std::map<std::string, std::optional<int64_t>> final_state;  // every universe key
};

struct Scenario {
  std::string id;     // Hermitage's column name: "G0", "P4", "G-single", ...
  std::string title;  // one line
  std::vector<Txn> txns;  // client i runs txns[i] (T1 is client 0)
  // Hermitage's step order: the client of each step. A step lets that
  // client run until it sends one data command (any command naming a
  // universe key, WATCH excepted, or EXEC), goes to sleep (blocked, backing
  // off) or finishes; then the next step's client runs. After the last step
  // the clients finish in order.
  std::vector<int> primary;
  // Returns a description of the anomaly when `obs` exhibits it, else "".
  std::function<std::string(const Observation&)> check;
  // Every micro-op is a register read or write with unique written values,
  // so the history also goes to the Elle-style checker (rw-register).
  bool elle = false;
  // How Hermitage's transactions were mapped onto Txns.
  std::string mapping;
};

// The scenarios in table order: G0, G1a, G1b, G1c, OTV, PMP, P4, G-single,
// G2-item, G2, G2-fekete.
const std::vector<Scenario>& Scenarios();

}  // namespace txlab::hermitage

#endif  // TXLAB_WORKLOADS_HERMITAGE_SCENARIOS_H_
