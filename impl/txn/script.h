// Script: a Lua script body and its SHA1, run with EVALSHA.
//
// RunScript sends EVALSHA; on NOSCRIPT (script cache flushed, a fresh server,
// another cluster node: SEMANTICS S13) it sends SCRIPT LOAD and retries once.
// The SHA1 is computed locally, so the first call needs no round trip.
#ifndef TXLAB_IMPL_TXN_SCRIPT_H_
#define TXLAB_IMPL_TXN_SCRIPT_H_

#include <string>
#include <vector>

#include "impl/txn/connection.h"
#include "impl/txn/task.h"
#include "model/reply.h"

namespace txlab {

class Script {
 public:
  explicit Script(std::string body);
  const std::string& body() const { return body_; }
  const std::string& sha() const { return sha_; }  // lower-case hex

 private:
  std::string body_;
  std::string sha_;
};

// EVALSHA sha numkeys keys... args...; reloads on NOSCRIPT.
Task<Reply> RunScript(Connection& conn, const Script& script, const std::vector<std::string>& keys,
                      const std::vector<std::string>& args);

// The scripts the strategies use (bodies in scripts.cc, each commented).
const Script& TxnScript();           // a whole Txn as one script (strategy lua)
const Script& ReleaseLockScript();   // compare-and-delete (SEMANTICS 5.1)
const Script& FencedAcquireScript(); // SET NX PX + INCR of the fence counter
const Script& FencedReadScript();    // reads refused below the highest token seen
const Script& FencedWriteScript();   // writes refused below the highest token seen
const Script& TwoPcReadScript();     // lock-2pc: values and intents of one slot's keys
const Script& TwoPcPrepareScript();  // lock-2pc: check leases, then validate / write intents / commit
const Script& TwoPcFinishScript();   // lock-2pc: apply (commit) or drop (abort) one txn's intents
const Script& TwoPcDecideScript();   // lock-2pc: a txn's decision; aborts it for good if it has none

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_SCRIPT_H_
