// Bank invariant checker (Jepsen's bank workload).
//
// History shape (one Jepsen op map per line; accounts are integers, strings
// or keywords; balances and amounts integers):
//
//   {:type :invoke, :process 0, :f :transfer, :value {:from 1, :to 2, :amount 5}}
//   {:type :ok,     :process 0, :f :transfer, :value {:from 1, :to 2, :amount 5}}
//   {:type :invoke, :process 1, :f :read,     :value nil}
//   {:type :ok,     :process 1, :f :read,     :value {0 100, 1 95, 2 105}}
//
// A :read returns every account's balance in one transaction; the last :ok
// read of the history is the final read (workloads issue one after the run
// quiesces). Transfers may be :ok, :fail (e.g. insufficient funds or an
// aborted transaction) or :info; the checker does not need their outcome,
// only the reads.
//
// Every :ok read must show:
//   - the conserved total: the balances sum to expected_total;
//   - no overdraft: no balance below zero;
//   - no missing or unknown account: a nil balance, or a set of accounts
//     different from the first read's, is reported.
// Other ops (nemesis, ...) are ignored.
#ifndef TXLAB_CHECKERS_INVARIANTS_BANK_H_
#define TXLAB_CHECKERS_INVARIANTS_BANK_H_

#include <cstdint>

#include "checkers/common/verdict.h"
#include "model/history.h"

namespace txlab {

// checker "bank-invariant". ok: every read (and so the final one) keeps the
// invariants. illegal: some read breaks one; summary names the first
// ("read 17: total 990 != 1000"), details list up to 32 bad reads. unknown:
// no :ok read, or a read whose value is not a map of integer balances.
Verdict CheckBank(const History& h, int64_t expected_total);

}  // namespace txlab

#endif  // TXLAB_CHECKERS_INVARIANTS_BANK_H_
