#include "impl/engine/watch.h"

#include <algorithm>

#include "impl/engine/engine_state.h"

namespace txlab {

namespace {

WatchedKey* FindWatch(SessionState& s, int db, std::string_view key) {
  s.engine->mu.AssertHeld();
  for (WatchedKey& w : s.watched) {
    if (w.db == db && w.key == key) return &w;
  }
  return nullptr;
}

}  // namespace

void WatchKey(ExecContext& ctx, SessionState& s, std::string_view key) {
  s.engine->mu.AssertHeld();
  if (FindWatch(s, ctx.db, key) != nullptr) return;
  Database& db = ctx.Db();
  auto it = db.watchers.find(key);
  if (it == db.watchers.end()) it = db.watchers.emplace(std::string(key), std::vector<SessionState*>{}).first;
  it->second.push_back(&s);
  // Note: WATCH does not delete a stale key; it remembers that it was stale.
  auto e = db.data.entries.find(key);
  bool expired = e != db.data.entries.end() && e->second.expire_ms != kNoExpire && e->second.ExpiredAt(ctx.NowMs());
  s.watched.push_back(WatchedKey{ctx.db, std::string(key), expired});
}

void TouchWatchedKey(EngineState& e, int db, std::string_view key) {
  e.mu.AssertHeld();
  Database& d = e.dbs[db];
  if (d.watchers.empty()) return;  // the common case: nobody watches anything here
  auto it = d.watchers.find(key);
  if (it == d.watchers.end()) return;
  for (SessionState* s : it->second) {
    s->engine->mu.AssertHeld();
    WatchedKey* wk = FindWatch(*s, db, key);
    if (wk != nullptr && wk->expired) {
      // Watched while already stale. If the stale key is now simply gone,
      // nothing logically changed (T22). Redis `break`s out of the loop in
      // the other branch; we flag every watcher (SEMANTICS.md code note).
      if (!d.data.entries.contains(key)) {
        wk->expired = false;
        continue;
      }
    }
    s->dirty_cas = true;
  }
}

void TouchAllWatchedKeysInDb(ExecContext& ctx, int emptied, int replaced_with) {
  EngineState& e = ctx.engine;
  e.mu.AssertHeld();
  Database& d = e.dbs[emptied];
  if (d.watchers.empty()) return;
  const Keyspace* other = replaced_with >= 0 ? &e.dbs[replaced_with].data : nullptr;
  for (auto& [key, sessions] : d.watchers) {
    bool exists_in_emptied = d.data.entries.contains(key);
    const Entry* in_other = nullptr;
    if (other != nullptr) {
      auto it = other->entries.find(key);
      if (it != other->entries.end()) in_other = &it->second;
    }
    if (!exists_in_emptied && in_other == nullptr) continue;
    for (SessionState* s : sessions) {
      s->engine->mu.AssertHeld();
      WatchedKey* wk = FindWatch(*s, emptied, key);
      if (wk != nullptr && wk->expired) {
        if (in_other == nullptr) {
          wk->expired = false;  // stale key now deleted: no logical change
          continue;
        } else if (in_other->ExpiredAt(ctx.NowMs())) {
          continue;  // stale key replaced by a stale key
        }
      } else if (!exists_in_emptied && in_other->ExpiredAt(ctx.NowMs())) {
        if (wk != nullptr) wk->expired = true;  // missing key replaced by a stale one
        continue;
      }
      s->dirty_cas = true;
    }
  }
}

void UnwatchAllKeys(SessionState& s) {
  EngineState& e = *s.engine;
  s.engine->mu.AssertHeld();
  e.mu.AssertHeld();
  for (const WatchedKey& w : s.watched) {
    auto& watchers = e.dbs[w.db].watchers;
    auto it = watchers.find(w.key);
    if (it == watchers.end()) continue;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), &s), v.end());
    if (v.empty()) watchers.erase(it);
  }
  s.watched.clear();
  s.dirty_cas = false;
}

bool IsWatchedKeyExpired(ExecContext& ctx, SessionState& s) {
  EngineState& e = ctx.engine;
  e.mu.AssertHeld();
  s.engine->mu.AssertHeld();
  for (const WatchedKey& w : s.watched) {
    if (w.expired) continue;
    const Keyspace& ks = e.dbs[w.db].data;
    auto it = ks.entries.find(w.key);
    // (Read the clock only for keys that can expire.)
    if (it != ks.entries.end() && it->second.expire_ms != kNoExpire && it->second.ExpiredAt(ctx.NowMs())) return true;
  }
  return false;
}

}  // namespace txlab
