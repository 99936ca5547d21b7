#include "impl/targets/cluster_connection.h"

#include <chrono>
#include <thread>

#include "impl/targets/command_keys.h"
#include "impl/targets/resp_connection.h"
#include "impl/txn/slots.h"

namespace txlab {
namespace {

// Redirects and TRYAGAIN retries per command before the error is returned.
constexpr int kMaxRedirects = 5;

Reply CrossSlot(const std::string& detail) {
  return Reply::Error("CROSSSLOT Keys in request don't hash to the same slot (txlab: " + detail +
                      "; refused before sending)");
}

Reply NoNode(std::optional<int> slot) {
  return Reply::Error("CLUSTERDOWN Hash slot not served (txlab: no known master" +
                      (slot ? " for slot " + std::to_string(*slot) : std::string()) + ")");
}

}  // namespace

ClusterConnection::ClusterConnection(std::shared_ptr<SlotMap> map, NetOptions options)
    : map_(std::move(map)), options_(options) {}

int64_t ClusterConnection::NowNs() const { return RealMonotonicNs(); }

bool ClusterConnection::SubmitSleep(PendingSleep* sleep) {
  std::this_thread::sleep_for(std::chrono::nanoseconds(sleep->ns));
  return true;
}

RespLink& ClusterConnection::LinkTo(const NodeAddr& n) {
  std::unique_ptr<RespLink>& l = links_[n.str()];
  if (!l) l = std::make_unique<RespLink>(n.host, n.port, options_);
  return *l;
}

std::optional<NodeAddr> ClusterConnection::DefaultNode() {
  std::vector<NodeAddr> m = map_->Masters();
  if (m.empty()) return std::nullopt;
  return m.front();
}

void ClusterConnection::ResetTxn() {
  pin_node_.reset();
  pin_slot_ = -1;
  pin_generation_ = 0;
  multi_held_ = multi_sent_ = refused_ = false;
}

bool ClusterConnection::Submit(PendingCall* call) {
  const std::vector<std::string>& argv = call->argv;
  const std::string name = CommandName(argv);
  const bool was_in_txn = guard_.in_txn();
  const bool send = guard_.BeforeSend(argv);
  const bool in_txn = guard_.in_txn();
  const bool closes = was_in_txn && !in_txn;
  if (!send) {
    call->reply = IoError("transaction lost with its connection; refused",
                          pin_node_ ? pin_node_->str() : std::string("cluster"));
    if (!in_txn) ResetTxn();
    return true;
  }
  std::optional<int> slot;
  std::optional<int> other_slot;
  for (size_t i : CommandKeyIndexes(name, argv)) {
    const int s = KeySlot(argv[i]);
    if (!slot) slot = s;
    else if (s != *slot && !other_slot) other_slot = s;
  }
  if (!was_in_txn && !in_txn) {
    call->reply = RunOutsideTxn(argv, slot);
    return true;
  }
  if (other_slot) {
    if (guard_.in_multi()) refused_ = true;
    call->reply = CrossSlot("keys of slots " + std::to_string(*slot) + " and " + std::to_string(*other_slot) +
                            " in one transaction");
  } else {
    call->reply = RunInTxn(name, argv, slot, closes);
    if (IsIoError(call->reply)) guard_.OnTransportFailure();
  }
  if (!guard_.in_txn()) ResetTxn();
  return true;
}

Reply ClusterConnection::RunOutsideTxn(const std::vector<std::string>& argv, std::optional<int> slot) {
  std::optional<NodeAddr> node = slot ? map_->NodeFor(*slot) : (last_node_ ? last_node_ : DefaultNode());
  bool asking = false;
  Reply r;
  for (int attempt = 0; attempt <= kMaxRedirects; ++attempt) {
    if (!node) return NoNode(slot);
    RespLink& l = LinkTo(*node);
    if (asking) {
      std::vector<Reply> rs = l.Pipeline({{"ASKING"}, argv});
      r = rs[0].is_error() ? std::move(rs[0]) : std::move(rs[1]);
      asking = false;
    } else {
      r = l.Call(argv);
    }
    last_node_ = node;
    if (!r.is_error() || attempt == kMaxRedirects) return r;
    const std::string_view code = r.error_code();
    if (code == "MOVED" || code == "ASK") {
      std::optional<Redirect> rd = ParseRedirect(r.str());
      if (!rd) return r;
      if (rd->ask) {
        ++asked_;
        asking = true;
      } else {
        ++moved_;
        map_->Update(rd->slot, rd->node);
        map_->Refresh(nullptr);  // best effort: the hint alone is enough to retry
      }
      node = rd->node;
      continue;
    }
    if (code == "TRYAGAIN") {
      ++retried_;
      std::this_thread::sleep_for(std::chrono::milliseconds(10 * (attempt + 1)));
      continue;
    }
    return r;
  }
  return r;
}

Reply ClusterConnection::Pin(const std::vector<std::string>& argv, std::optional<int> slot) {
  Reply r;
  for (int attempt = 0; attempt <= kMaxRedirects; ++attempt) {
    std::optional<NodeAddr> node = slot ? map_->NodeFor(*slot) : DefaultNode();
    if (!node) return NoNode(slot);
    RespLink& l = LinkTo(*node);
    if (multi_held_) {
      std::vector<Reply> rs = l.Pipeline({{"MULTI"}, argv});
      if (!rs[0].is_ok()) return rs[0];  // IOERR, or a server that refuses MULTI
      r = std::move(rs[1]);
    } else {
      r = l.Call(argv);
    }
    if (IsIoError(r)) return r;
    if (r.is_error() && r.error_code() == "MOVED" && attempt < kMaxRedirects) {
      // Nothing of this transaction but (MULTI and) this command reached the
      // old node: drop it there and start over on the slot's new master.
      if (std::optional<Redirect> rd = ParseRedirect(r.str())) {
        ++moved_;
        if (multi_held_) {
          Reply d = l.Call({"DISCARD"});
          if (IsIoError(d)) return d;
        }
        map_->Update(rd->slot, rd->node);
        map_->Refresh(nullptr);
        continue;
      }
    }
    pin_node_ = node;
    pin_slot_ = slot.value_or(-1);
    pin_generation_ = l.generation();
    last_node_ = node;
    if (multi_held_) {
      multi_held_ = false;
      multi_sent_ = true;
    }
    return r;
  }
  return r;
}

Reply ClusterConnection::SendPinned(const std::vector<std::string>& argv) {
  RespLink& l = LinkTo(*pin_node_);
  if (!l.connected() || l.generation() != pin_generation_) {
    return IoError("the transaction's connection was lost", pin_node_->str());
  }
  last_node_ = pin_node_;
  return l.Call(argv);
}

Reply ClusterConnection::RunInTxn(const std::string& name, const std::vector<std::string>& argv,
                                  std::optional<int> slot, bool closes) {
  if (name == "MULTI") {
    if (!pin_node_) {
      multi_held_ = true;  // sent with the first keyed command, to its node
      return Reply::Ok();
    }
    Reply r = SendPinned(argv);
    if (r.is_ok()) multi_sent_ = true;
    return r;
  }
  if (closes) {  // EXEC, DISCARD, UNWATCH, RESET
    if (name == "EXEC" && refused_) {
      if (pin_node_ && multi_sent_) {
        Reply d = SendPinned({"DISCARD"});
        if (IsIoError(d)) return d;
      }
      return Reply::Error(
          "EXECABORT Transaction discarded because of previous errors (txlab: a command with a key of another slot "
          "was refused)");
    }
    if (!pin_node_) {
      if (name == "EXEC" && multi_held_) {
        // An empty transaction: run it anyway, on any master.
        std::optional<NodeAddr> node = DefaultNode();
        if (!node) return NoNode(std::nullopt);
        std::vector<Reply> rs = LinkTo(*node).Pipeline({{"MULTI"}, argv});
        return rs[0].is_ok() ? std::move(rs[1]) : std::move(rs[0]);
      }
      if ((name == "DISCARD" && multi_held_) || name == "UNWATCH") return Reply::Ok();
      return RunOutsideTxn(argv, std::nullopt);
    }
    return SendPinned(argv);
  }
  if (!pin_node_) return Pin(argv, slot);  // WATCH, or the first command after MULTI
  if (slot) {
    if (pin_slot_ >= 0 && *slot != pin_slot_) {
      if (guard_.in_multi()) refused_ = true;
      return CrossSlot("the transaction is on slot " + std::to_string(pin_slot_) + " of " + pin_node_->str() +
                       ", this key is in slot " + std::to_string(*slot));
    }
    if (pin_slot_ < 0) {
      std::optional<NodeAddr> owner = map_->NodeFor(*slot);
      if (!owner || !(*owner == *pin_node_)) {
        if (guard_.in_multi()) refused_ = true;
        return CrossSlot("the transaction is on " + pin_node_->str() + ", slot " + std::to_string(*slot) +
                         " is not");
      }
      pin_slot_ = *slot;
    }
  }
  return SendPinned(argv);
}

ClusterTarget::ClusterTarget(NodeAddr seed, NetOptions options)
    : seed_(std::move(seed)), options_(options), map_(std::make_shared<SlotMap>(options)) {}

bool ClusterTarget::Discover(std::string* error) { return map_->Refresh({seed_}, error); }

std::string ClusterTarget::Describe() const { return "cluster://" + seed_.str(); }

std::unique_ptr<Connection> ClusterTarget::Connect() { return std::make_unique<ClusterConnection>(map_, options_); }

bool ClusterTarget::FlushAll(std::string* error) {
  std::vector<NodeAddr> masters = map_->Masters();
  if (masters.empty()) {
    if (error) *error = Describe() + ": no masters known (Discover first)";
    return false;
  }
  for (const NodeAddr& m : masters) {
    RespLink link(m.host, m.port, options_);
    Reply r = link.Call({"FLUSHALL"});
    if (r.is_error()) {
      if (error) *error = m.str() + ": FLUSHALL: " + r.str();
      return false;
    }
  }
  return true;
}

}  // namespace txlab
