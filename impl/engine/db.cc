#include "impl/engine/db.h"

#include <string>
#include <vector>

#include "impl/engine/engine_state.h"
#include "impl/engine/watch.h"

namespace txlab {

Entry* LookupKey(ExecContext& ctx, std::string_view key) {
  Keyspace& ks = ctx.Data();
  auto it = ks.entries.find(key);
  if (it == ks.entries.end()) return nullptr;
  // Read the clock only for keys that can expire: keeps GET/SET of
  // persistent keys free of clock reads.
  if (it->second.expire_ms != kNoExpire && it->second.ExpiredAt(ctx.NowMs())) {
    ks.UnmarkVolatile(key);
    ks.entries.erase(it);
    SignalModifiedKey(ctx, key);  // lazy expiry touches watchers (T20)
    return nullptr;
  }
  return &it->second;
}

void StoreString(ExecContext& ctx, std::string_view key, std::string_view value, bool keep_ttl) {
  Keyspace& ks = ctx.Data();
  auto it = ks.entries.find(key);
  if (it == ks.entries.end()) {
    Entry e;
    e.value.emplace<StringValue>(value);
    ks.entries.emplace(std::string(key), std::move(e));
    return;
  }
  if (auto* s = std::get_if<StringValue>(&it->second.value)) {
    s->assign(value);  // reuses the buffer
  } else {
    it->second.value.emplace<StringValue>(value);
  }
  if (!keep_ttl) ks.SetExpire(it, kNoExpire);
}

bool DeleteKey(ExecContext& ctx, std::string_view key) { return ctx.Data().Erase(key); }

void DeleteIfEmpty(ExecContext& ctx, std::string_view key) {
  Keyspace& ks = ctx.Data();
  auto it = ks.entries.find(key);
  if (it == ks.entries.end()) return;
  bool empty = std::visit(
      [](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, StringValue>) {
          return false;
        } else {
          return v.size() == 0;
        }
      },
      it->second.value);
  if (empty) ks.Erase(key);
}

void SignalKeyReady(ExecContext& ctx) {
  EngineState& e = ctx.engine;
  e.mu.AssertHeld();
  if (e.blocked_waiters > 0) e.key_ready.notify_all();
}

void SignalModifiedKeyInDb(ExecContext& ctx, int db, std::string_view key) {
  TouchWatchedKey(ctx.engine, db, key);
  SignalKeyReady(ctx);
}

void SignalModifiedKey(ExecContext& ctx, std::string_view key) { SignalModifiedKeyInDb(ctx, ctx.db, key); }

void ActiveExpireAll(ExecContext& ctx) {
  EngineState& e = ctx.engine;
  e.mu.AssertHeld();
  int saved_db = ctx.db;
  int64_t now = ctx.NowMs();
  for (int i = 0; i < static_cast<int>(e.dbs.size()); ++i) {
    Keyspace& ks = e.dbs[i].data;
    if (ks.volatile_keys.empty()) continue;
    std::vector<std::string> expired;
    for (const std::string& k : ks.volatile_keys) {
      auto it = ks.entries.find(k);
      if (it != ks.entries.end() && it->second.ExpiredAt(now)) expired.push_back(k);
    }
    ctx.db = i;
    for (const std::string& k : expired) {
      ks.Erase(k);
      SignalModifiedKey(ctx, k);
    }
  }
  ctx.db = saved_db;
}

}  // namespace txlab
