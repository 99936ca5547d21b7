// Encoding of register/list micro-op txns in Elle's shape, shared by
// list-append, rw-register and ycsb:
//   invoke  [[:append 3 7] [:r 4 nil]]      [[:w 1 5] [:r 2 nil]]
//   ok      [[:append 3 7] [:r 4 [1 7]]]    [[:w 1 5] [:r 2 5]]
// Keys are "<prefix><int>"; the history shows the int.
#ifndef TXLAB_WORKLOADS_ELLE_TXN_H_
#define TXLAB_WORKLOADS_ELLE_TXN_H_

#include <string>

#include "impl/txn/txn.h"
#include "model/edn.h"

namespace txlab {

// REQUIRES: every key of txn is `prefix` followed by a decimal integer.
Edn ElleInvokeValue(const Txn& txn, size_t prefix_len);
Edn ElleOkValue(const Txn& txn, const TxnResult& result, size_t prefix_len);

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_ELLE_TXN_H_
