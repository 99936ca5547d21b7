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
std::string DecisionKey(const std::string& txid, const std::string& home) {
  return "txn:{" + std::string(HashTagOf(home)) + "}" + txid;
}

std::string Hex(const std::string& s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * s.size());
  for (unsigned char c : s) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

bool Unhex(const std::string& hex, std::string* out) {
  auto digit = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return false;
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

std::string IntentId(const std::string& txid, const std::string& home) { return txid + "@" + Hex(home); }

bool ParseIntentId(const std::string& iid, std::string* txid, std::string* home) {
  const size_t at = iid.find('@');
  if (at == std::string::npos || at == 0) return false;
  *txid = iid.substr(0, at);
  return Unhex(iid.substr(at + 1), home) && !home->empty();
}

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
