// MULTI / EXEC / DISCARD / WATCH / UNWATCH / RESET (Redis's multi.c).
//
// Session flags live in SessionState: in_multi (CLIENT_MULTI), dirty_exec
// (CLIENT_DIRTY_EXEC, set by FlagTransaction on a queue-time error, T6) and
// dirty_cas (CLIENT_DIRTY_CAS, set by the watch registry, T19-T22).
//
// Queueing happens in Session::Call (engine.cc) without the engine lock: it
// is session-local. EXEC runs the whole queue under one lock hold, with the
// expiry time frozen (T11, T14).
#ifndef TXLAB_IMPL_ENGINE_MULTI_H_
#define TXLAB_IMPL_ENGINE_MULTI_H_

#include <string_view>

#include "impl/engine/command.h"
#include "model/reply.h"

namespace txlab {

struct SessionState;

// flagTransaction: a queue-time error inside MULTI poisons the transaction.
void FlagTransaction(SessionState& s);

// Clears the MULTI state of the session: queue, in_multi, dirty_exec. Does
// not touch watches (those need the lock). No lock needed.
void DiscardQueue(SessionState& s);

// While a timed-out script holds the engine lock (S2-S3): answers the
// session-state commands MULTI, DISCARD, UNWATCH, RESET, EXEC, and WATCH
// inside MULTI, without the lock. Watch removal is deferred
// (SessionState::pending_unwatch). Returns false if `cmd` is not one of them
// (or is WATCH outside MULTI, which waits for the lock).
bool AnswerSessionCommandWhileBusy(SessionState& s, const CommandSpec& cmd, std::string_view busy_error,
                                   Reply* reply);

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_MULTI_H_
