// MULTI / EXEC / DISCARD / WATCH / UNWATCH / RESET. See multi.h and
// SEMANTICS.md T1-T25.
#include "impl/engine/multi.h"

#include <string>
#include <vector>

#include "impl/engine/engine_state.h"
#include "impl/engine/watch.h"

namespace txlab {

namespace {

constexpr std::string_view kExecAbortPrevious = "EXECABORT Transaction discarded because of previous errors.";

// discardTransaction + unwatchAllKeys (T9). Requires the lock.
void DiscardTransaction(SessionState& s) {
  DiscardQueue(s);
  UnwatchAllKeys(s);
}

Reply MultiCommand(ExecContext& ctx, Args) {
  SessionState& s = *ctx.session;
  if (s.in_multi) return ErrorReply("ERR MULTI calls can not be nested");  // T2: no poisoning
  s.in_multi = true;
  return Reply::Ok();
}

// EXEC (T9, T11, T19, T22, T24).
Reply ExecCommand(ExecContext& ctx, Args) {
  SessionState& s = *ctx.session;
  s.engine->mu.AssertHeld();
  if (!s.in_multi) return ErrorReply("ERR EXEC without MULTI");
  // Queue-time errors win over a dirty WATCH (T24).
  if (s.dirty_exec) {
    DiscardTransaction(s);
    return ErrorReply(kExecAbortPrevious);
  }
  // Time used for the T22 check is the frozen time of the whole EXEC.
  if (s.dirty_cas || IsWatchedKeyExpired(ctx, s)) {
    DiscardTransaction(s);
    return Reply::NilArray();
  }
  // Unwatch before running: the transaction's own writes must not matter (T21).
  UnwatchAllKeys(s);
  // The queue leaves the session before anything runs (the session is out of
  // MULTI from here), and goes back empty with its capacity afterwards.
  CommandQueue queue;
  queue.swap(s.queue);
  DiscardQueue(s);

  // T14: the whole queue runs in this one context, whose expiry time is read
  // once (at the first expiry check) and then stays fixed until EXEC ends.
  ctx.in_exec = true;
  std::vector<Reply> replies;
  replies.reserve(queue.entries().size());
  std::vector<std::string_view>& argv = s.exec_args;
  for (const CommandQueue::Entry& q : queue.entries()) {
    queue.Args(q, &argv);
    replies.push_back(Dispatch(ctx, *q.cmd, argv));
  }
  ctx.in_exec = false;
  queue.Clear();
  if (s.queue.empty()) queue.swap(s.queue);
  return Reply::Array(std::move(replies));
}

Reply DiscardCommand(ExecContext& ctx, Args) {
  SessionState& s = *ctx.session;
  if (!s.in_multi) return ErrorReply("ERR DISCARD without MULTI");
  DiscardTransaction(s);
  return Reply::Ok();
}

// WATCH key [key ...] (T3, T18, T23).
Reply WatchCommand(ExecContext& ctx, Args argv) {
  SessionState& s = *ctx.session;
  s.engine->mu.AssertHeld();
  if (s.in_multi) return ErrorReply("ERR WATCH inside MULTI is not allowed");  // T3: no poisoning
  // Once dirty, the EXEC will fail anyway: no point watching more (T23).
  if (s.dirty_cas) return Reply::Ok();
  for (size_t i = 1; i < argv.size(); ++i) WatchKey(ctx, s, argv[i]);
  return Reply::Ok();
}

// UNWATCH (T25). Inside MULTI it is queued (T1) and runs inside EXEC, where
// the watches are already gone.
Reply UnwatchCommand(ExecContext& ctx, Args) {
  UnwatchAllKeys(*ctx.session);
  return Reply::Ok();
}

// RESET: discard MULTI, drop watches, back to db 0 (T10).
Reply ResetCommand(ExecContext& ctx, Args) {
  SessionState& s = *ctx.session;
  DiscardTransaction(s);
  ctx.db = 0;
  return Reply::Status("RESET");
}

}  // namespace

void FlagTransaction(SessionState& s) {
  if (s.in_multi) s.dirty_exec = true;
}

void DiscardQueue(SessionState& s) {
  s.queue.Clear();
  s.in_multi = false;
  s.dirty_exec = false;
}

bool AnswerSessionCommandWhileBusy(SessionState& s, const CommandSpec& cmd, std::string_view busy_error,
                                   Reply* reply) {
  const std::string& n = cmd.name;
  if (n == "multi") {
    if (s.in_multi) {
      *reply = ErrorReply("ERR MULTI calls can not be nested");
    } else {
      s.in_multi = true;
      *reply = Reply::Ok();
    }
  } else if (n == "exec") {
    // EXEC is not allow-busy: inside MULTI it aborts the transaction (S3, T8).
    if (s.in_multi) {
      DiscardQueue(s);
      s.pending_unwatch = true;
      *reply = Reply::Error("EXECABORT Transaction discarded because of: " + std::string(busy_error));
    } else {
      *reply = ErrorReply(busy_error);
    }
  } else if (n == "discard") {
    if (!s.in_multi) {
      *reply = ErrorReply("ERR DISCARD without MULTI");
    } else {
      DiscardQueue(s);
      s.pending_unwatch = true;
      *reply = Reply::Ok();
    }
  } else if (n == "unwatch") {
    s.pending_unwatch = true;  // (inside MULTI, UNWATCH is queued, not here)
    *reply = Reply::Ok();
  } else if (n == "reset") {
    DiscardQueue(s);
    s.pending_unwatch = true;
    s.db = 0;
    *reply = Reply::Status("RESET");
  } else if (n == "watch" && s.in_multi) {
    *reply = ErrorReply("ERR WATCH inside MULTI is not allowed");
  } else {
    return false;
  }
  return true;
}

void RegisterMultiCommands(CommandTable& t) {
  constexpr uint32_t kSessionCmd = kCmdNoScript | kCmdAllowBusy | kCmdFast;
  t.Add({"multi", 1, kSessionCmd | kCmdNoQueue, 0, 0, 0, MultiCommand});
  t.Add({"exec", 1, kCmdNoScript | kCmdNoQueue, 0, 0, 0, ExecCommand});
  t.Add({"discard", 1, kSessionCmd | kCmdNoQueue, 0, 0, 0, DiscardCommand});
  t.Add({"watch", -2, kSessionCmd | kCmdNoQueue, 1, -1, 1, WatchCommand});
  t.Add({"unwatch", 1, kSessionCmd, 0, 0, 0, UnwatchCommand});
  t.Add({"reset", 1, kSessionCmd | kCmdNoQueue, 0, 0, 0, ResetCommand});
}

}  // namespace txlab
