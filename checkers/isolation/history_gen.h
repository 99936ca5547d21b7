// Generated list-append (or rw-register) histories that are serializable (indeed strictly
// serializable, unless scramble_realtime) by construction, for property tests and benchmarks.
//
// Transactions run one after another against a model of lists (the serial
// order); then each one's invocation is moved earlier and its completion
// later by random amounts, so many overlap in real time, but never so far
// that a completion precedes the invocation of a transaction serialised
// before it. Transaction i runs on process slot i % processes; a slot's
// windows never overlap, so each process has one op in flight.
//
// Keys: `active_keys` at a time; a key that has taken `max_writes_per_key`
// appends is retired and replaced by a fresh one (Elle's generator does the
// same), which keeps reads short. A fraction of transactions fails (not
// applied; reads nil) or is indeterminate (:info, applied or not at random;
// its process is retired and the slot gets a fresh process id).
#ifndef TXLAB_CHECKERS_ISOLATION_HISTORY_GEN_H_
#define TXLAB_CHECKERS_ISOLATION_HISTORY_GEN_H_

#include <cstdint>

#include "model/history.h"

namespace txlab::isolation {

struct ListAppendGenOptions {
  uint64_t seed = 1;
  size_t txns = 1000;
  int processes = 10;
  int active_keys = 100;
  int max_mops = 4;  // 1..max_mops micro-ops per txn
  int max_writes_per_key = 32;
  double read_fraction = 0.5;  // per micro-op
  double fail_fraction = 0.0;
  double info_fraction = 0.0;
  // rw-register instead: [:w k v] writes (v unique per key), [:r k v] reads
  // the latest value (nil before any write).
  bool registers = false;
  // Windows and process slots follow a random permutation of the serial
  // order instead of the order itself: still serializable (the generation
  // order is a serial order), but usually not strictly, nor sequential per
  // process. :info txns get a process of their own.
  bool scramble_realtime = false;
};

History GenerateSerializableListAppend(const ListAppendGenOptions& o);

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_HISTORY_GEN_H_
