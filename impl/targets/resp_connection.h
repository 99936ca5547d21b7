// RespConnection: a Connection over one TCP connection to one redis-server
// (or `txlab serve`), speaking RESP2 with blocking I/O. RedisTarget hands out
// one RespConnection per Connect(), i.e. one socket per client.
//
// Every Call blocks the calling thread until the reply arrives (Submit
// returns true). Transport failures and timeouts reply IOERR (indeterminate:
// the strategy records the op as info, never fail), close the socket, and
// the next call reconnects (re-SELECTing the database). A reconnect cannot
// carry MULTI or WATCH over, so a transaction that lost its socket is
// refused with IOERR until the client ends it (see TxnGuard).
//
// NowNs is the process-wide steady clock the thread runner uses
// (RealClock::MonotonicNs), so histories of network runs record real
// intervals on the same clock as the runner's start time.
#ifndef TXLAB_IMPL_TARGETS_RESP_CONNECTION_H_
#define TXLAB_IMPL_TARGETS_RESP_CONNECTION_H_

#include <memory>
#include <string>

#include "impl/targets/resp_link.h"
#include "impl/targets/target_url.h"
#include "impl/targets/txn_guard.h"
#include "impl/txn/connection.h"
#include "impl/txn/target.h"

namespace txlab {

// The real monotonic clock shared by network connections and the thread runner.
int64_t RealMonotonicNs();

class RespConnection final : public Connection {
 public:
  RespConnection(std::string host, int port, int db, NetOptions options);

  int64_t NowNs() const override { return RealMonotonicNs(); }

  // Closes the socket now (tests; a crash of this client as Redis sees it).
  void Disconnect() { link_.Close(); }
  RespLink& link() { return link_; }

 protected:
  bool Submit(PendingCall* call) override;
  bool SubmitSleep(PendingSleep* sleep) override;

 private:
  RespLink link_;
  int db_;
  uint64_t selected_generation_ = 0;
  uint64_t txn_generation_ = 0;  // the socket the open transaction began on
  TxnGuard guard_;
};

// One redis-server at host:port, database `db`.
class RedisTarget final : public Target {
 public:
  RedisTarget(std::string host, int port, int db, NetOptions options);

  std::string Describe() const override;
  // Never fails: the socket is opened by the first command.
  std::unique_ptr<Connection> Connect() override;

  // Checks that the server answers PING. False with the reason otherwise.
  bool Ping(std::string* error);
  // FLUSHALL: every database of the server, so a run starts empty.
  bool FlushAll(std::string* error);

 private:
  bool RunOne(const std::vector<std::string>& argv, std::string* error);

  std::string host_;
  int port_;
  int db_;
  NetOptions options_;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_TARGETS_RESP_CONNECTION_H_
