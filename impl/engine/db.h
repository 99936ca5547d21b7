// Keyspace access for command handlers: lookups with lazy expiry, typed
// lookups, and the "key modified" signal.
//
// Every handler reads and writes keys through these functions so that the
// two cross-cutting rules hold everywhere:
//   * Lazy expiry: a lookup of a stale key deletes it first and signals it as
//     modified (T20: expiry touches watchers), then reports it missing.
//   * Every successful modification calls SignalModifiedKey (touching WATCHers,
//     T20, and waking BLPOP waiters). No-op writes do not call it (T21).
//
// REQUIRES: the engine mutex (an ExecContext exists only under it).
#ifndef TXLAB_IMPL_ENGINE_DB_H_
#define TXLAB_IMPL_ENGINE_DB_H_

#include <string_view>
#include <variant>

#include "impl/engine/command.h"
#include "impl/engine/keyspace.h"

namespace txlab {

// The entry at `key`, or nullptr if missing or expired (an expired key is
// deleted and signalled).
Entry* LookupKey(ExecContext& ctx, std::string_view key);

// The value of type T at `key`; nullptr if missing. If the key holds another
// type, returns nullptr and sets *wrong_type.
template <typename T>
T* LookupAs(ExecContext& ctx, std::string_view key, bool* wrong_type) {
  *wrong_type = false;
  Entry* e = LookupKey(ctx, key);
  if (e == nullptr) return nullptr;
  T* v = std::get_if<T>(&e->value);
  if (v == nullptr) *wrong_type = true;
  return v;
}

// Like LookupAs, but a missing key is created holding an empty T (the caller
// must then add something, or call DeleteIfEmpty).
template <typename T>
T* LookupOrCreate(ExecContext& ctx, std::string_view key, bool* wrong_type) {
  T* v = LookupAs<T>(ctx, key, wrong_type);
  if (v != nullptr || *wrong_type) return v;
  auto [it, inserted] = ctx.Data().entries.try_emplace(std::string(key));
  it->second.value.template emplace<T>();
  return std::get_if<T>(&it->second.value);
}

// Stores a string value. keep_ttl: keep an existing expiry (SET KEEPTTL);
// otherwise the key becomes persistent. Does not signal.
void StoreString(ExecContext& ctx, std::string_view key, std::string_view value, bool keep_ttl);

// Removes `key` outright (no expiry check). Does not signal. Returns whether
// it was present.
bool DeleteKey(ExecContext& ctx, std::string_view key);

// Deletes the key if its aggregate value is empty (Redis never keeps empty
// hashes, lists, sets or sorted sets).
void DeleteIfEmpty(ExecContext& ctx, std::string_view key);

// signalModifiedKey: touches the key's watchers in the current db and wakes
// blocked BLPOP/BRPOP callers.
void SignalModifiedKey(ExecContext& ctx, std::string_view key);
void SignalModifiedKeyInDb(ExecContext& ctx, int db, std::string_view key);

// Wakes BLPOP/BRPOP waiters (after a push, SWAPDB...). Cheap when none wait.
void SignalKeyReady(ExecContext& ctx);

// Deletes every expired key of every database (active expiry).
void ActiveExpireAll(ExecContext& ctx);

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_DB_H_
