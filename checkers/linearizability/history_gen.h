// Generated histories for property tests and benchmarks.
//
// Linearizable by construction: each client runs operations back to back
// with random gaps and durations; each operation takes effect at a random
// point inside its interval; applying them in the order of those points to
// a sequential model gives the values reads return. Crashed operations
// (:info) take effect at their point or never (a coin flip) and retire
// their process (the client continues under a fresh process id); :fail
// operations take no effect.
//
// A Mutation then breaks the execution the way real bugs do (the result is
// usually, not always, non-linearizable: a checker must decide):
//   kStaleRead      one read returns one of the key's last four earlier values
//   kLostWrite      one acknowledged write (put, append, incr) has no effect
//   kDuplicateIncr  one increment takes effect twice
// Deterministic for a given GenOptions (seed included).
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_HISTORY_GEN_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_HISTORY_GEN_H_

#include <cstdint>
#include <string>

#include "model/history.h"

namespace txlab {
namespace lin {

struct GenOptions {
  enum class Model {
    kRegister,     // read/write (+ cas when cas_fraction > 0); unkeyed if keys == 0, else [k v] tuples
    kCounter,      // incr (returns the new value) / read
    kKv,           // porcupine's kv: get/put/append strings, keyed
    kListAppend,   // append element / read list, keyed
    kTxn,          // :txn of [:r k v] / [:w k v] on one key, or two with txn_two_key_fraction
  };
  uint64_t seed = 1;
  Model model = Model::kRegister;
  size_t ops = 10;
  int clients = 3;
  int keys = 0;                   // 0: one unkeyed object (register/counter only)
  double read_fraction = 0.5;
  double cas_fraction = 0.0;      // register: share of cas among non-reads
  double txn_two_key_fraction = 0.0;
  double crash_fraction = 0.0;    // :info
  double fail_fraction = 0.0;     // :fail
  int max_gap = 3;                // ticks between a client's ops
  int max_duration = 6;           // ticks an op lasts
  enum class Mutation { kNone, kStaleRead, kLostWrite, kDuplicateIncr } mutation = Mutation::kNone;
};

History GenerateHistory(const GenOptions& o);

const char* ModelName(GenOptions::Model m);
const char* MutationName(GenOptions::Mutation m);

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_HISTORY_GEN_H_
