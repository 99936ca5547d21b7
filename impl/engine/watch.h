// The WATCH registry (Redis's multi.c, watch part): which sessions watch
// which (db, key), and when a session becomes dirty (CLIENT_DIRTY_CAS).
//
// Rules (SEMANTICS.md T18-T25):
//   * Touch: every successful modification of a watched key makes each
//     watcher dirty, except a watcher that WATCHed the key while it was already
//     expired and the key is now gone (T22: deleting a stale key is no logical
//     change; the watch then treats the key as plain missing).
//   * FLUSHDB/FLUSHALL/SWAPDB touch watched keys that exist (in either db for
//     SWAPDB), with the same stale-key refinements as Redis's
//     touchAllWatchedKeysInDb.
//   * EXEC also aborts if a key that was alive when WATCHed is logically
//     expired at EXEC time (isWatchedKeyExpired).
//
// REQUIRES: the engine mutex, for every function here.
#ifndef TXLAB_IMPL_ENGINE_WATCH_H_
#define TXLAB_IMPL_ENGINE_WATCH_H_

#include <string_view>

#include "impl/engine/command.h"

namespace txlab {

// WATCH of one key by ctx.session in ctx.db. No-op if already watched.
void WatchKey(ExecContext& ctx, SessionState& s, std::string_view key);

// touchWatchedKey: call after modifying `key` in database `db`.
void TouchWatchedKey(EngineState& e, int db, std::string_view key);

// touchAllWatchedKeysInDb: before emptying `emptied` (FLUSHDB/FLUSHALL) or
// swapping it with `replaced_with` (SWAPDB; -1 for none).
void TouchAllWatchedKeysInDb(ExecContext& ctx, int emptied, int replaced_with);

// Drops all of the session's watches (UNWATCH, EXEC, DISCARD, disconnect) and
// clears its dirty-CAS flag.
void UnwatchAllKeys(SessionState& s);

// isWatchedKeyExpired: some key alive at WATCH time is logically expired now.
bool IsWatchedKeyExpired(ExecContext& ctx, SessionState& s);

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_WATCH_H_
