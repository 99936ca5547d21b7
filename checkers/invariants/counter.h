// Counter invariant checker (Jepsen's counter workload, with named counters).
//
// History shape:
//
//   {:type :invoke, :process 0, :f :incr, :value [:c 1]}    ; add 1 to counter :c
//   {:type :ok,     :process 0, :f :incr, :value [:c 1]}
//   {:type :invoke, :process 1, :f :read, :value nil}
//   {:type :ok,     :process 1, :f :read, :value {:c 7, :d 2}}
//
// :f is :incr (or Jepsen's :add). :value is [counter delta], or a bare delta
// for a single unnamed counter; a :read returns {counter value ...}, or a
// bare integer for the unnamed counter. Deltas may be negative. Counters
// start at 0. An increment completed :ok took effect; :fail did not; :info
// (or never completed) may have, at any time after its invocation.
//
// Every :ok read of counter k, invoked at time i and completed at time c,
// must lie within
//   lower = (sum of :ok increments of k completed before i)
//           + (negative deltas of other increments of k invoked before c, not :fail)
//   upper = same, with their positive deltas instead,
// which for deltas of 1 reduces, for the final read after the run, to
// ok-acks <= value <= ok-acks + indeterminate increments (Jepsen's counter
// checker bounds every read this way). The final read is each counter's
// last :ok read.
#ifndef TXLAB_CHECKERS_INVARIANTS_COUNTER_H_
#define TXLAB_CHECKERS_INVARIANTS_COUNTER_H_

#include "checkers/common/verdict.h"
#include "model/history.h"

namespace txlab {

// checker "counter-invariant". ok: every read within its bounds. illegal:
// some read outside them; summary names the first ("read 42 of :c = 7,
// outside [8, 9]"), details list up to 32 and the final values with their
// bounds. unknown: no :ok read, or malformed increments or reads.
Verdict CheckCounter(const History& h);

}  // namespace txlab

#endif  // TXLAB_CHECKERS_INVARIANTS_COUNTER_H_
