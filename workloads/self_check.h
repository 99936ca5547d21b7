// Self-checks of the bank and counter histories: small, obviously correct
// history checks that the tests and `txlab run` use when the invariant
// checkers (checkers/invariants) are not built. They read only the History.
//
//   bank     every :ok read sums to the expected total and has no negative
//            balance
//   counter  every :ok read of key k lies between the increments of k
//            acknowledged before the read began and the increments of k
//            attempted (not :fail) before it ended
#ifndef TXLAB_WORKLOADS_SELF_CHECK_H_
#define TXLAB_WORKLOADS_SELF_CHECK_H_

#include <cstdint>

#include "checkers/common/verdict.h"
#include "model/history.h"

namespace txlab {

Verdict SelfCheckBank(const History& h, int64_t expected_total);
Verdict SelfCheckCounter(const History& h);

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_SELF_CHECK_H_
