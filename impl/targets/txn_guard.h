// TxnGuard: keeps a transaction from silently continuing on a new socket.
//
// Redis keeps MULTI and WATCH state per connection and drops it when the
// connection closes. A client that reconnects under a strategy's feet would
// otherwise run "queued" writes at once, or EXEC without the WATCH that was
// supposed to validate its reads (a lost update nobody reported). So the
// guard follows the transaction the client *intends*, from the commands it
// sends (WATCH / MULTI open it; EXEC, DISCARD, RESET, and UNWATCH outside
// MULTI close it), and after a transport failure inside an open transaction
// it refuses -- with IOERR, never sending -- every further command up to and
// including the one that closes the transaction. A WATCH sent outside MULTI
// while refusing also ends the refusal (it is refused itself): a strategy
// that gives up on an attempt without UNWATCH and starts the next one with
// WATCH loses that one attempt, not the connection.
//
// THREAD SAFETY: none; one guard per connection.
#ifndef TXLAB_IMPL_TARGETS_TXN_GUARD_H_
#define TXLAB_IMPL_TARGETS_TXN_GUARD_H_

#include <string>
#include <vector>

namespace txlab {

class TxnGuard {
 public:
  // Call before sending argv. False: do not send; reply IOERR.
  bool BeforeSend(const std::vector<std::string>& argv);
  // The command just sent (or about to be) hit a transport failure.
  void OnTransportFailure();

  // A WATCH or MULTI is open (as far as the client's commands go).
  bool in_txn() const { return watching_ || multi_; }
  bool in_multi() const { return multi_; }
  bool refusing() const { return refusing_; }

 private:
  bool watching_ = false;
  bool multi_ = false;
  bool refusing_ = false;
};

// argv[0] upper-cased ("exec" -> "EXEC").
std::string CommandName(const std::vector<std::string>& argv);

}  // namespace txlab

#endif  // TXLAB_IMPL_TARGETS_TXN_GUARD_H_
