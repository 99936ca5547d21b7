// ServerShared: what every connection of one Server shares (private to
// impl/server). Fields are immutable after Start unless a comment says how
// they are protected.
#ifndef TXLAB_IMPL_SERVER_SERVER_SHARED_H_
#define TXLAB_IMPL_SERVER_SERVER_SHARED_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "impl/server/server.h"

namespace txlab {

class ClientConnection;

struct ServerShared {
  Engine* engine = nullptr;
  ServerOptions options;
  int port = 0;  // the bound port
  std::chrono::steady_clock::time_point start_time = std::chrono::steady_clock::now();

  // CONFIG SET may change these while connections read them.
  std::string RequirePass() const {
    std::lock_guard<std::mutex> l(config_mu);
    return requirepass;
  }
  void SetRequirePass(std::string p) {
    std::lock_guard<std::mutex> l(config_mu);
    requirepass = std::move(p);
  }
  mutable std::mutex config_mu;
  std::string requirepass;  // guarded by config_mu
  // CONFIG GET/SET busy-reply-threshold (also given to the engine on SET).
  std::atomic<int64_t> busy_reply_threshold_ms{0};

  // INFO counters.
  std::atomic<int64_t> connected_clients{0};
  std::atomic<int64_t> total_connections{0};
  std::atomic<int64_t> total_commands{0};
  std::atomic<int64_t> rejected_protocol{0};

  // Live connections, for CLIENT LIST and Stop(). A ClientConnection adds itself
  // when it starts and removes itself in its destructor.
  std::mutex conns_mu;
  std::unordered_map<const ClientConnection*, std::weak_ptr<ClientConnection>> conns;  // guarded by conns_mu

  // Blocking commands running on their own threads (ClientConnection::
  // StartBlockingCall); Stop waits for them before joining the workers.
  std::mutex blocking_mu;
  std::condition_variable blocking_cv;
  int blocking_calls = 0;  // guarded by blocking_mu

  // Set by Server: asks the owner to stop (SHUTDOWN command).
  std::function<void()> request_shutdown;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_SERVER_SERVER_SHARED_H_
