// The read phase of the negative controls (naive, multi-no-watch): GET the
// read set one key at a time with nothing protecting it, then evaluate the
// txn on what was read. Shared so the two controls differ only in how they
// write.
#ifndef TXLAB_IMPL_TXN_UNPROTECTED_READ_H_
#define TXLAB_IMPL_TXN_UNPROTECTED_READ_H_

#include <optional>

#include "impl/txn/abort_reason.h"
#include "impl/txn/connection.h"
#include "impl/txn/task.h"
#include "impl/txn/txn.h"
#include "impl/txn/txn_eval.h"

namespace txlab {

struct UnprotectedRead {
  Evaluation eval;
  // Set when the txn must end here: a read failed (command-error) or the
  // evaluation refused it (insufficient-funds). Nothing was written.
  std::optional<Outcome> failed;
};

// `aborts` counts the reason of `failed`. conn and txn outlive the task.
Task<UnprotectedRead> ReadUnprotected(Connection& conn, const Txn& txn, AbortCounts& aborts);

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_UNPROTECTED_READ_H_
