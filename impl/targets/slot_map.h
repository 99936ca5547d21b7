// SlotMap: which master serves which of the 16384 slots of a Redis Cluster.
//
// Filled from CLUSTER SLOTS (asked of any node that answers), patched by the
// address in a MOVED redirection (C3), and refreshed in full after one. It is
// shared by every connection of a ClusterTarget, so one client's refresh
// serves all. Replicas are ignored: txlab reads and writes masters only.
//
// THREAD SAFETY: every method is safe to call from any thread.
#ifndef TXLAB_IMPL_TARGETS_SLOT_MAP_H_
#define TXLAB_IMPL_TARGETS_SLOT_MAP_H_

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "impl/txn/slots.h"
#include "impl/targets/target_url.h"

namespace txlab {

struct NodeAddr {
  std::string host;
  int port = 0;
  std::string str() const { return host + ":" + std::to_string(port); }
  friend bool operator==(const NodeAddr&, const NodeAddr&) = default;
};

// "127.0.0.1:7003" -> NodeAddr (IPv4 literal hosts only).
std::optional<NodeAddr> ParseNodeAddr(std::string_view s);

// A MOVED or ASK error ("MOVED 12182 127.0.0.1:7003") -> slot and node.
struct Redirect {
  bool ask = false;
  int slot = -1;
  NodeAddr node;
};
std::optional<Redirect> ParseRedirect(std::string_view error_text);

class SlotMap {
 public:
  explicit SlotMap(NetOptions options) : options_(options) {}

  // Asks `seeds`, then every known master, for CLUSTER SLOTS until one
  // answers; replaces the map with its answer. False (why in *error) if no
  // node answered or some slot is left without a master.
  bool Refresh(const std::vector<NodeAddr>& seeds, std::string* error);
  // Refresh from the known masters only.
  bool Refresh(std::string* error) { return Refresh({}, error); }

  // The master of `slot`, if known.
  std::optional<NodeAddr> NodeFor(int slot) const;
  // A MOVED hint: `slot` now lives on `node`.
  void Update(int slot, const NodeAddr& node);
  // Every master that owns at least one slot.
  std::vector<NodeAddr> Masters() const;
  // Grows with every change; lets callers skip a refresh another did.
  uint64_t epoch() const;

 private:
  int NodeIndexLocked(const NodeAddr& n);

  const NetOptions options_;
  mutable std::mutex mu_;
  std::vector<NodeAddr> nodes_;                  // guarded by mu_
  std::array<int16_t, kClusterSlots> owner_{};   // index into nodes_ or -1; guarded by mu_
  bool filled_ = false;                          // guarded by mu_
  uint64_t epoch_ = 0;                           // guarded by mu_
};

}  // namespace txlab

#endif  // TXLAB_IMPL_TARGETS_SLOT_MAP_H_
