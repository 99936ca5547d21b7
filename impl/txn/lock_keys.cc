#include "impl/txn/lock_keys.h"

#include "impl/txn/slots.h"

namespace txlab {

std::string CoLocated(const std::string& k) {
  return HashTagOf(k).size() != k.size() ? k : "{" + k + "}";
}

std::string LockKey(const std::string& k) { return "lock:" + CoLocated(k); }
std::string FenceKey(const std::string& k) { return "fence:" + CoLocated(k); }
std::string FenceCounterKey(const std::string& k) { return "fence-counter:" + CoLocated(k); }
std::string IntentKey(const std::string& k) { return "intent:" + CoLocated(k); }
std::string DecisionKey(const std::string& txid) { return "txn:{" + txid + "}"; }

std::vector<std::vector<std::string>> GroupBySlot(const std::vector<std::string>& keys) {
  std::vector<int> slots;
  std::vector<std::vector<std::string>> groups;
  for (const std::string& k : keys) {
    const int s = KeySlot(k);
    size_t i = 0;
    while (i < slots.size() && slots[i] != s) ++i;
    if (i == slots.size()) {
      slots.push_back(s);
      groups.emplace_back();
    }
    groups[i].push_back(k);
  }
  return groups;
}

}  // namespace txlab
