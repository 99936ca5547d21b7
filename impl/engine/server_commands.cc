// Server and database commands: PING ECHO TIME SELECT SWAPDB DBSIZE FLUSHDB
// FLUSHALL.
#include <string>

#include "impl/engine/db.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/parse.h"
#include "impl/engine/watch.h"

namespace txlab {

namespace {

Reply PingCommand(ExecContext&, Args argv) {
  if (argv.size() > 2) return ArityError("ping");
  if (argv.size() == 2) return Reply::Bulk(argv[1]);
  return Reply::Status("PONG");
}

Reply EchoCommand(ExecContext&, Args argv) { return Reply::Bulk(argv[1]); }

// TIME is not frozen by EXEC or scripts (T14): it reads the clock directly.
Reply TimeCommand(ExecContext& ctx, Args) {
  int64_t us = ctx.engine.clock->NowUs();
  return Reply::Array({Reply::Bulk(std::to_string(us / 1000000)), Reply::Bulk(std::to_string(us % 1000000))});
}

int NumDbs(ExecContext& ctx) {
  ctx.engine.mu.AssertHeld();
  return static_cast<int>(ctx.engine.dbs.size());
}

Reply SelectCommand(ExecContext& ctx, Args argv) {
  int64_t id;
  // getIntFromObjectOrReply with no message: Redis's two texts.
  if (!ParseInt64(argv[1], &id)) return ErrorReply(errors::kNotInteger);
  if (id < INT32_MIN || id > INT32_MAX)
    return ErrorReply("ERR value is out of range, value must between -2147483648 and 2147483647");
  if (id < 0 || id >= NumDbs(ctx)) return ErrorReply(errors::kDbIndexOutOfRange);
  ctx.db = static_cast<int>(id);
  return Reply::Ok();
}

Reply SwapDbCommand(ExecContext& ctx, Args argv) {
  int64_t a, b;
  if (!ParseInt64(argv[1], &a) || a < INT32_MIN || a > INT32_MAX) return ErrorReply("ERR invalid first DB index");
  if (!ParseInt64(argv[2], &b) || b < INT32_MIN || b > INT32_MAX) return ErrorReply("ERR invalid second DB index");
  int n = NumDbs(ctx);
  if (a < 0 || a >= n || b < 0 || b >= n) return ErrorReply(errors::kDbIndexOutOfRange);
  if (a == b) return Reply::Ok();
  // Watchers stay with the index; the data moves (T20, T21).
  TouchAllWatchedKeysInDb(ctx, static_cast<int>(a), static_cast<int>(b));
  TouchAllWatchedKeysInDb(ctx, static_cast<int>(b), static_cast<int>(a));
  EngineState& e = ctx.engine;
  e.mu.AssertHeld();
  std::swap(e.dbs[a].data, e.dbs[b].data);
  SignalKeyReady(ctx);  // a list may now exist where a BLPOP waits
  return Reply::Ok();
}

Reply DbSizeCommand(ExecContext& ctx, Args) {
  return Reply::Integer(static_cast<int64_t>(ctx.Data().entries.size()));
}

// FLUSHDB/FLUSHALL [ASYNC|SYNC]. Returns false on a syntax error.
bool ParseFlushFlags(Args argv) {
  if (argv.size() > 2) return false;
  if (argv.size() == 2) return EqualsIgnoreCase(argv[1], "sync") || EqualsIgnoreCase(argv[1], "async");
  return true;
}

void FlushDb(ExecContext& ctx, int db) {
  TouchAllWatchedKeysInDb(ctx, db, -1);
  ctx.engine.mu.AssertHeld();
  ctx.engine.dbs[db].data.Clear();
}

Reply FlushDbCommand(ExecContext& ctx, Args argv) {
  if (!ParseFlushFlags(argv)) return ErrorReply(errors::kSyntax);
  FlushDb(ctx, ctx.db);
  return Reply::Ok();
}

Reply FlushAllCommand(ExecContext& ctx, Args argv) {
  if (!ParseFlushFlags(argv)) return ErrorReply(errors::kSyntax);
  for (int i = 0; i < NumDbs(ctx); ++i) FlushDb(ctx, i);
  return Reply::Ok();
}

}  // namespace

void RegisterServerCommands(CommandTable& t) {
  t.Add({"ping", -1, kCmdFast, 0, 0, 0, PingCommand});
  t.Add({"echo", 2, kCmdFast, 0, 0, 0, EchoCommand});
  t.Add({"time", 1, kCmdFast, 0, 0, 0, TimeCommand});
  t.Add({"select", 2, kCmdFast, 0, 0, 0, SelectCommand});
  t.Add({"swapdb", 3, kCmdWrite | kCmdFast | kCmdAdmin, 0, 0, 0, SwapDbCommand});
  t.Add({"dbsize", 1, kCmdReadonly | kCmdFast, 0, 0, 0, DbSizeCommand});
  t.Add({"flushdb", -1, kCmdWrite, 0, 0, 0, FlushDbCommand});
  t.Add({"flushall", -1, kCmdWrite | kCmdAdmin, 0, 0, 0, FlushAllCommand});
}

}  // namespace txlab
