// ClusterConnection: a Connection to a Redis Cluster that routes each
// command by its keys' slot (SEMANTICS.md §4.1). ClusterTarget hands out one
// per Connect(); each opens one socket per node it talks to, lazily.
//
// Outside a transaction:
//   * a keyed command goes to the master of its first key's slot (multi-key
//     commands across slots are sent anyway: the server replies CROSSSLOT);
//   * MOVED (C3): the slot map is patched and refreshed, the command resent;
//     ASK (C5): ASKING + the command on the named node, once per redirect;
//     TRYAGAIN (C5): resent after 10, 20, ... ms. At most 5 redirects/retries
//     per command, then the last error reply is returned;
//   * a keyless command goes to the node of the previous command, so the
//     SCRIPT LOAD a strategy sends after NOSCRIPT (C8: scripts are per node)
//     reaches the node that lacked the script; before any command, to the
//     first master.
// Inside a transaction (from WATCH or MULTI to EXEC / DISCARD / UNWATCH /
// RESET): the whole transaction runs on one node, decided by its first keyed
// command (WATCH's keys, or the first keyed command after MULTI -- MULTI is
// held back until then, and sent with it). Only one slot is allowed per
// transaction: a command with a key of another slot is refused locally,
// before sending, with "CROSSSLOT ..." (never run on the wrong node, never
// left to EXEC), and an EXEC after such a refusal DISCARDs on the node and
// replies EXECABORT, so nothing of that transaction runs. A MOVED on the
// pinning command is followed (nothing else of the transaction is on the old
// node); later MOVED/ASK/TRYAGAIN replies are returned as they are (the
// server then aborts the EXEC itself, C6).
// Transport failures reply IOERR and, inside a transaction, refuse the rest
// of it (TxnGuard), exactly as RespConnection does.
#ifndef TXLAB_IMPL_TARGETS_CLUSTER_CONNECTION_H_
#define TXLAB_IMPL_TARGETS_CLUSTER_CONNECTION_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "impl/targets/resp_link.h"
#include "impl/targets/slot_map.h"
#include "impl/targets/target_url.h"
#include "impl/targets/txn_guard.h"
#include "impl/txn/connection.h"
#include "impl/txn/target.h"

namespace txlab {

class ClusterConnection final : public Connection {
 public:
  ClusterConnection(std::shared_ptr<SlotMap> map, NetOptions options);

  int64_t NowNs() const override;
  bool slot_confined() const override { return true; }

  // Redirections followed so far (MOVED, ASK) and TRYAGAIN retries: for tests.
  uint64_t moved() const { return moved_; }
  uint64_t asked() const { return asked_; }
  uint64_t retried() const { return retried_; }
  // The node of the open transaction, if one is pinned.
  std::optional<NodeAddr> pinned_node() const { return pin_node_; }

 protected:
  bool Submit(PendingCall* call) override;
  bool SubmitSleep(PendingSleep* sleep) override;

 private:
  RespLink& LinkTo(const NodeAddr& n);
  std::optional<NodeAddr> DefaultNode();
  Reply RunOutsideTxn(const std::vector<std::string>& argv, std::optional<int> slot);
  Reply RunInTxn(const std::string& name, const std::vector<std::string>& argv, std::optional<int> slot,
                 bool closes);
  // Sends the pinning command (after a held-back MULTI if any) to the slot's
  // master, following MOVED.
  Reply Pin(const std::vector<std::string>& argv, std::optional<int> slot);
  Reply SendPinned(const std::vector<std::string>& argv);
  void ResetTxn();

  std::shared_ptr<SlotMap> map_;
  NetOptions options_;
  std::map<std::string, std::unique_ptr<RespLink>> links_;
  std::optional<NodeAddr> last_node_;
  TxnGuard guard_;

  // The open transaction.
  std::optional<NodeAddr> pin_node_;
  int pin_slot_ = -1;
  uint64_t pin_generation_ = 0;
  bool multi_held_ = false;   // MULTI accepted locally, not yet sent
  bool multi_sent_ = false;   // MULTI is open on pin_node_
  bool refused_ = false;      // a command of this MULTI was refused locally

  uint64_t moved_ = 0, asked_ = 0, retried_ = 0;
};

// A Redis Cluster reached through any of its nodes. The slot map is
// discovered by Discover() (MakeTarget calls it) and shared by all
// connections.
class ClusterTarget final : public Target {
 public:
  ClusterTarget(NodeAddr seed, NetOptions options);

  // CLUSTER SLOTS from the seed node. False with the reason otherwise.
  bool Discover(std::string* error);
  std::string Describe() const override;
  std::unique_ptr<Connection> Connect() override;
  // FLUSHALL on every master, so a run starts empty.
  bool FlushAll(std::string* error);

  SlotMap& slot_map() { return *map_; }

 private:
  NodeAddr seed_;
  NetOptions options_;
  std::shared_ptr<SlotMap> map_;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_TARGETS_CLUSTER_CONNECTION_H_
