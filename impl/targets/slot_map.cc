#include "impl/targets/slot_map.h"

#include <arpa/inet.h>

#include <charconv>

#include "impl/targets/resp_link.h"

namespace txlab {
namespace {

bool ToInt(std::string_view s, int64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::optional<NodeAddr> ParseNodeAddr(std::string_view s) {
  const size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  NodeAddr n;
  n.host = std::string(s.substr(0, colon));
  in_addr a{};
  int64_t port = 0;
  if (inet_pton(AF_INET, n.host.c_str(), &a) != 1) return std::nullopt;
  // "host:port@busport" appears in some outputs; MOVED has no bus port.
  std::string_view p = s.substr(colon + 1);
  if (size_t at = p.find('@'); at != std::string_view::npos) p = p.substr(0, at);
  if (!ToInt(p, &port) || port <= 0 || port > 65535) return std::nullopt;
  n.port = static_cast<int>(port);
  return n;
}

std::optional<Redirect> ParseRedirect(std::string_view e) {
  Redirect r;
  if (e.starts_with("MOVED ")) {
    e.remove_prefix(6);
  } else if (e.starts_with("ASK ")) {
    r.ask = true;
    e.remove_prefix(4);
  } else {
    return std::nullopt;
  }
  const size_t sp = e.find(' ');
  int64_t slot = 0;
  if (sp == std::string_view::npos || !ToInt(e.substr(0, sp), &slot) || slot < 0 || slot >= kClusterSlots) {
    return std::nullopt;
  }
  auto node = ParseNodeAddr(e.substr(sp + 1));
  if (!node) return std::nullopt;
  r.slot = static_cast<int>(slot);
  r.node = *node;
  return r;
}

bool SlotMap::Refresh(const std::vector<NodeAddr>& seeds, std::string* error) {
  std::vector<NodeAddr> ask = seeds;
  for (const NodeAddr& m : Masters()) ask.push_back(m);
  std::string last_error = "no node to ask";
  for (const NodeAddr& n : ask) {
    RespLink link(n.host, n.port, options_);
    Reply r = link.Call({"CLUSTER", "SLOTS"});
    if (r.is_error()) {
      last_error = n.str() + ": CLUSTER SLOTS: " + r.str();
      continue;
    }
    if (r.type() != Reply::Type::kArray) {
      last_error = n.str() + ": CLUSTER SLOTS: unexpected reply " + r.ToString();
      continue;
    }
    // [[start, end, [ip, port, id, ...], replica...], ...]
    std::vector<NodeAddr> nodes;
    std::array<int16_t, kClusterSlots> owner;
    owner.fill(-1);
    bool ok = true;
    for (const Reply& range : r.elems()) {
      if (range.type() != Reply::Type::kArray || range.elems().size() < 3 ||
          range.elems()[2].type() != Reply::Type::kArray || range.elems()[2].elems().size() < 2) {
        ok = false;
        break;
      }
      const auto& e = range.elems();
      const int64_t lo = e[0].integer(), hi = e[1].integer();
      NodeAddr m;
      m.host = e[2].elems()[0].str();
      if (m.host.empty() || m.host == "?") m.host = n.host;  // "unknown endpoint": the one we asked
      m.port = static_cast<int>(e[2].elems()[1].integer());
      if (lo < 0 || hi >= kClusterSlots || lo > hi || m.port <= 0) {
        ok = false;
        break;
      }
      size_t idx = 0;
      while (idx < nodes.size() && !(nodes[idx] == m)) ++idx;
      if (idx == nodes.size()) nodes.push_back(m);
      for (int64_t s = lo; s <= hi; ++s) owner[s] = static_cast<int16_t>(idx);
    }
    if (!ok) {
      last_error = n.str() + ": CLUSTER SLOTS: malformed reply";
      continue;
    }
    int unowned = 0;
    for (int16_t o : owner) unowned += o < 0;
    if (unowned > 0) {
      last_error = n.str() + ": " + std::to_string(unowned) + " slots have no master (cluster not ready?)";
      continue;
    }
    std::lock_guard<std::mutex> l(mu_);
    nodes_ = std::move(nodes);
    owner_ = owner;
    filled_ = true;
    ++epoch_;
    return true;
  }
  if (error) *error = last_error;
  return false;
}

std::optional<NodeAddr> SlotMap::NodeFor(int slot) const {
  std::lock_guard<std::mutex> l(mu_);
  if (!filled_ || slot < 0 || slot >= kClusterSlots || owner_[slot] < 0) return std::nullopt;
  return nodes_[owner_[slot]];
}

int SlotMap::NodeIndexLocked(const NodeAddr& n) {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i] == n) return static_cast<int>(i);
  }
  nodes_.push_back(n);
  return static_cast<int>(nodes_.size() - 1);
}

void SlotMap::Update(int slot, const NodeAddr& node) {
  if (slot < 0 || slot >= kClusterSlots) return;
  std::lock_guard<std::mutex> l(mu_);
  owner_[slot] = static_cast<int16_t>(NodeIndexLocked(node));
  ++epoch_;
}

std::vector<NodeAddr> SlotMap::Masters() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<bool> used(nodes_.size(), false);
  if (filled_) {
    for (int16_t o : owner_) {
      if (o >= 0) used[o] = true;
    }
  }
  std::vector<NodeAddr> out;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (used[i]) out.push_back(nodes_[i]);
  }
  return out;
}

uint64_t SlotMap::epoch() const {
  std::lock_guard<std::mutex> l(mu_);
  return epoch_;
}

}  // namespace txlab
