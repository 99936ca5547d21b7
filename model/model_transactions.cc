// MULTI / EXEC / DISCARD / WATCH / UNWATCH / RESET: SEMANTICS.md §1.
//
// Queueing itself (T1, T6) lives in KeyspaceModel::Call, because it happens
// before any command runs. Touching watched keys (T20) is Touch() in
// keyspace_model.cc, called by every write that Redis signals.
#include "model/model_state.h"

namespace txlab::model_internal {

void DiscardTransaction(SessionState& s) {
  // T9/T25: out of MULTI, queue dropped, dirty flags cleared, all unwatched.
  s.in_multi = false;
  s.queue.clear();
  s.dirty_cas = false;
  s.dirty_exec = false;
  s.watched.clear();
}

Reply CmdMulti(Ctx& c, const Argv&) {
  // T2: nested MULTI is an error that does not poison the transaction.
  if (c.s.in_multi) return Reply::Error("ERR MULTI calls can not be nested");
  c.s.in_multi = true;  // T1
  return Reply::Ok();
}

Reply CmdExec(Ctx& c, const Argv&) {
  if (!c.s.in_multi) return Reply::Error("ERR EXEC without MULTI");  // T4
  // T24: a queue-time error wins over a touched watch.
  if (c.s.dirty_exec) {
    DiscardTransaction(c.s);
    return Reply::Error("EXECABORT Transaction discarded because of previous errors.");  // T6
  }
  // T19/T22: a touched (or expired-since-WATCH) key aborts with a nil array;
  // the model marks expiry as a touch when the clock passes the key's time.
  if (c.s.dirty_cas) {
    DiscardTransaction(c.s);
    return Reply::NilArray();
  }
  // T21: the transaction's own writes don't count: unwatch before running.
  std::vector<Argv> queue = std::move(c.s.queue);
  DiscardTransaction(c.s);
  // T11/T12: one reply per command, in order; run-time errors don't stop or
  // roll back anything. Time does not move inside EXEC (T14).
  std::vector<Reply> replies;
  replies.reserve(queue.size());
  for (const Argv& cmd : queue) replies.push_back(Dispatch(c, cmd));
  return Reply::Array(std::move(replies));  // T5: empty queue → empty array
}

Reply CmdDiscard(Ctx& c, const Argv&) {
  if (!c.s.in_multi) return Reply::Error("ERR DISCARD without MULTI");  // T4
  DiscardTransaction(c.s);
  return Reply::Ok();
}

Reply CmdWatch(Ctx& c, const Argv& a) {
  // T3: refused inside MULTI, without poisoning the transaction.
  if (c.s.in_multi) return Reply::Error("ERR WATCH inside MULTI is not allowed");
  // T23: once dirty, WATCH is a no-op that answers OK.
  if (c.s.dirty_cas) return Reply::Ok();
  // T18: per (db, key); accumulates. WATCH looks nothing up, so a stale key
  // is not deleted; the model treats it as absent, which T22 makes
  // equivalent (a stale key's later deletion does not dirty its watcher).
  for (size_t i = 1; i < a.size(); ++i) c.s.watched.insert({c.s.db, a[i]});
  return Reply::Ok();
}

Reply CmdUnwatch(Ctx& c, const Argv&) {
  // T25: clears the watches and the dirty-CAS flag. (Queued inside MULTI,
  // T1, where it has nothing left to do: EXEC unwatches first.)
  c.s.watched.clear();
  c.s.dirty_cas = false;
  return Reply::Ok();
}

Reply CmdReset(Ctx& c, const Argv&) {
  // T10: discards the transaction and the watches, selects db 0.
  DiscardTransaction(c.s);
  c.s.db = 0;
  return Reply::Status("RESET");
}

}  // namespace txlab::model_internal
