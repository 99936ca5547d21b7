#include "impl/txn/unprotected_read.h"

#include "impl/txn/strategies.h"

namespace txlab {

Task<UnprotectedRead> ReadUnprotected(Connection& conn, const Txn& txn, AbortCounts& aborts) {
  UnprotectedRead out;
  StoreSnapshot snap;
  for (const std::string& k : txn.ReadKeys()) {
    Reply r = co_await conn.Call(ReadArgv(txn, k));
    if (!StoreRead(txn, k, r, &snap)) {
      aborts.Add(AbortReason::kCommandError);
      out.failed = FailOutcome(AbortReason::kCommandError, 1, aborts, r.ToString());
      co_return out;
    }
  }
  out.eval = Evaluate(txn, snap);
  if (out.eval.refused) {
    aborts.Add(AbortReason::kInsufficientFunds);
    out.failed = FailOutcome(AbortReason::kInsufficientFunds, 1, aborts);
  }
  co_return out;
}

}  // namespace txlab
