#include "impl/engine/keyspace.h"

namespace txlab {

bool ZSetValue::Set(std::string_view member, double score) {
  auto it = scores.find(member);
  if (it == scores.end()) {
    scores.emplace(std::string(member), score);
    order.emplace(score, std::string(member));
    return true;
  }
  if (it->second != score) {
    order.erase({it->second, it->first});
    order.emplace(score, it->first);
    it->second = score;
  }
  return false;
}

bool ZSetValue::Remove(std::string_view member) {
  auto it = scores.find(member);
  if (it == scores.end()) return false;
  order.erase({it->second, it->first});
  scores.erase(it);
  return true;
}

const char* TypeName(const Value& v) {
  static constexpr const char* kNames[] = {"string", "hash", "list", "set", "zset"};
  return kNames[v.index()];
}

void Keyspace::SetExpire(StringMap<Entry>::iterator it, int64_t expire_ms) {
  if (expire_ms == kNoExpire) {
    if (it->second.expire_ms != kNoExpire) volatile_keys.erase(it->first);
  } else if (it->second.expire_ms == kNoExpire) {
    volatile_keys.insert(it->first);
  }
  it->second.expire_ms = expire_ms;
}

void Keyspace::UnmarkVolatile(std::string_view key) {
  // (Heterogeneous erase is C++23: find first.)
  auto it = volatile_keys.find(key);
  if (it != volatile_keys.end()) volatile_keys.erase(it);
}

bool Keyspace::Erase(std::string_view key) {
  auto it = entries.find(key);
  if (it == entries.end()) return false;
  if (it->second.expire_ms != kNoExpire) UnmarkVolatile(key);
  entries.erase(it);
  return true;
}

}  // namespace txlab
