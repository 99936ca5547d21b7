// Keyspace: the data of one logical database, and the value types it holds.
//
// A Keyspace maps a key to an Entry (value + optional absolute expiry time in
// Unix ms). Keys with an expiry are also listed in `volatile_keys` so active
// expiry need not scan every key. A key whose expiry time has passed may still
// be present ("stale"): it is logically absent, and is deleted lazily by the
// next lookup or by active expiry (expire.h).
//
// All maps use transparent hashing: lookups take a std::string_view and never
// allocate.
//
// Thread-safety: none; the engine mutex guards every Keyspace.
#ifndef TXLAB_IMPL_ENGINE_KEYSPACE_H_
#define TXLAB_IMPL_ENGINE_KEYSPACE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>

namespace txlab {

// Hash for std::string and std::string_view alike (heterogeneous lookup).
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// ---- value types ----------------------------------------------------------

using StringValue = std::string;
using HashValue = StringMap<std::string>;
using ListValue = std::deque<std::string>;
using SetValue = StringSet;

// Sorted set: member -> score, plus (score, member) order. Ties on score are
// ordered by member bytes, as in Redis.
struct ZSetValue {
  StringMap<double> scores;
  std::set<std::pair<double, std::string>> order;

  size_t size() const { return scores.size(); }
  // Inserts or updates. Returns true if the member is new.
  bool Set(std::string_view member, double score);
  // Returns true if the member existed.
  bool Remove(std::string_view member);
};

// Index order matches Redis's TYPE names below.
using Value = std::variant<StringValue, HashValue, ListValue, SetValue, ZSetValue>;

enum class ValueType { kString = 0, kHash = 1, kList = 2, kSet = 3, kZSet = 4 };

// "string", "hash", "list", "set", "zset" (the TYPE command's replies).
const char* TypeName(const Value& v);

// ---- entries and keyspaces -----------------------------------------------

constexpr int64_t kNoExpire = -1;

struct Entry {
  Value value;
  int64_t expire_ms = kNoExpire;  // absolute Unix ms, or kNoExpire

  // Redis's keyIsExpired: a key expires when now is strictly past its time.
  bool ExpiredAt(int64_t now_ms) const { return expire_ms != kNoExpire && now_ms > expire_ms; }
};

struct Keyspace {
  StringMap<Entry> entries;
  StringSet volatile_keys;  // keys whose Entry has an expire_ms

  void SetExpire(StringMap<Entry>::iterator it, int64_t expire_ms);
  // Removes the key (and its volatile mark). Returns whether it was present.
  bool Erase(std::string_view key);
  void UnmarkVolatile(std::string_view key);
  void Clear() {
    entries.clear();
    volatile_keys.clear();
  }
};

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_KEYSPACE_H_
