#include "impl/targets/resp_connection.h"

#include <chrono>
#include <thread>

#include "impl/engine/clock.h"

namespace txlab {

int64_t RealMonotonicNs() { return RealClock::Get()->MonotonicNs(); }

RespConnection::RespConnection(std::string host, int port, int db, NetOptions options)
    : link_(std::move(host), port, options), db_(db) {}

bool RespConnection::Submit(PendingCall* call) {
  const bool was_in_txn = guard_.in_txn();
  if (!guard_.BeforeSend(call->argv)) {
    call->reply = IoError("transaction lost with its connection; refused", link_.addr());
    return true;
  }
  std::string error;
  if (!link_.EnsureConnected(&error)) {
    guard_.OnTransportFailure();
    call->reply = IoError(error, link_.addr());
    return true;
  }
  if (was_in_txn && link_.generation() != txn_generation_) {
    // The socket was replaced (Disconnect) since the transaction began: its
    // MULTI/WATCH are gone, so this command must not run on the new one.
    guard_.OnTransportFailure();
    call->reply = IoError("transaction lost with its connection; refused", link_.addr());
    return true;
  }
  if (!was_in_txn) txn_generation_ = link_.generation();
  if (db_ != 0 && selected_generation_ != link_.generation()) {
    Reply s = link_.Call({"SELECT", std::to_string(db_)});
    if (!s.is_ok()) {
      link_.Close();
      guard_.OnTransportFailure();
      call->reply = IoError("SELECT " + std::to_string(db_) + " failed: " + s.ToString(), link_.addr());
      return true;
    }
    selected_generation_ = link_.generation();
  }
  call->reply = link_.Call(call->argv);
  if (IsIoError(call->reply)) guard_.OnTransportFailure();
  return true;
}

bool RespConnection::SubmitSleep(PendingSleep* sleep) {
  std::this_thread::sleep_for(std::chrono::nanoseconds(sleep->ns));
  return true;
}

RedisTarget::RedisTarget(std::string host, int port, int db, NetOptions options)
    : host_(std::move(host)), port_(port), db_(db), options_(options) {}

std::string RedisTarget::Describe() const {
  return "redis://" + host_ + ":" + std::to_string(port_) + (db_ ? "/" + std::to_string(db_) : "");
}

std::unique_ptr<Connection> RedisTarget::Connect() {
  return std::make_unique<RespConnection>(host_, port_, db_, options_);
}

bool RedisTarget::RunOne(const std::vector<std::string>& argv, std::string* error) {
  RespLink link(host_, port_, options_);
  Reply r = link.Call(argv);
  if (r.is_error()) {
    if (error) *error = Describe() + ": " + argv[0] + ": " + r.str();
    return false;
  }
  return true;
}

bool RedisTarget::Ping(std::string* error) { return RunOne({"PING"}, error); }
bool RedisTarget::FlushAll(std::string* error) { return RunOne({"FLUSHALL"}, error); }

}  // namespace txlab
