#include "impl/server/server.h"

#include <asio.hpp>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "impl/engine/engine.h"
#include "impl/server/client_connection.h"
#include "impl/server/event_loops.h"
#include "impl/server/server_shared.h"

namespace txlab {

int DefaultLoops() {
  // One loop per two hardware threads: a loop is busy with its own share of
  // the kernel's TCP work, and the clients (redis-benchmark is one thread)
  // need CPU on the same machine.
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / 2);
}

struct Server::Impl {
  explicit Impl(Engine* engine, ServerOptions opts) {
    if (opts.threads <= 0) opts.threads = DefaultLoops();
    shared.engine = engine;
    shared.requirepass = opts.requirepass;
    shared.busy_reply_threshold_ms = opts.busy_reply_threshold_ms;
    shared.options = std::move(opts);
  }

  void Accept() {
    // Each connection lives on one loop, on a strand of its own: its handlers
    // never overlap, even while the watchdog lends that loop a thread.
    acceptor->async_accept(asio::make_strand(loops->Next()), [this](const asio::error_code& ec, ConnectionSocket s) {
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
        // Out of file descriptors and the like: keep serving the others,
        // and retry a little later instead of spinning on the error.
        accept_retry->expires_after(std::chrono::milliseconds(100));
        accept_retry->async_wait([this](const asio::error_code& e) {
          if (!e && acceptor->is_open()) Accept();
        });
        return;
      }
      std::make_shared<ClientConnection>(&shared, std::move(s))->Start();
      Accept();
    });
  }

  ServerShared shared;
  std::optional<EventLoops> loops;
  std::optional<asio::strand<asio::io_context::executor_type>> accept_strand;
  std::optional<asio::ip::tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> accept_retry;  // on the accept strand
  bool running = false;

  std::mutex shutdown_mu;
  std::condition_variable shutdown_cv;
  bool shutdown_requested = false;  // guarded by shutdown_mu
};

Server::Server(Engine* engine, ServerOptions options) : impl_(std::make_unique<Impl>(engine, std::move(options))) {
  impl_->shared.request_shutdown = [this] { RequestShutdown(); };
}

Server::~Server() {
  // Destroying a running pool is not an option: wait as long as it takes.
  Stop(std::chrono::hours(24 * 365));
}

bool Server::Start(std::string* error) {
  Impl& m = *impl_;
  const ServerOptions& o = m.shared.options;
  asio::error_code ec;
  auto address = asio::ip::make_address(o.bind, ec);
  if (ec) {
    *error = "bad bind address '" + o.bind + "': " + ec.message();
    return false;
  }
  if (!address.is_loopback() && !o.allow_non_loopback) {
    *error = "refusing to bind " + o.bind + ": txlab serve listens on loopback addresses only";
    return false;
  }
  m.loops.emplace(o.threads, o.busy_poll);
  m.accept_strand.emplace(asio::make_strand(m.loops->First()));
  m.acceptor.emplace(*m.accept_strand);
  m.accept_retry.emplace(*m.accept_strand);
  asio::ip::tcp::endpoint ep(address, static_cast<uint16_t>(o.port));
  m.acceptor->open(ep.protocol(), ec);
  if (!ec) m.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) m.acceptor->bind(ep, ec);
  if (!ec) m.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    *error = "cannot listen on " + o.bind + ":" + std::to_string(o.port) + ": " + ec.message();
    m.accept_retry.reset();
    m.acceptor.reset();
    m.accept_strand.reset();
    m.loops.reset();
    return false;
  }
  m.shared.port = m.acceptor->local_endpoint().port();
  m.loops->Start();
  m.running = true;
  asio::post(*m.accept_strand, [&m] { m.Accept(); });
  return true;
}

int Server::port() const { return impl_->shared.port; }

int64_t Server::connected_clients() const {
  return impl_->shared.connected_clients.load(std::memory_order_relaxed);
}

bool Server::Stop(std::chrono::milliseconds grace) {
  Impl& m = *impl_;
  if (!m.running) return true;
  // 1. No new connections.
  asio::post(*m.accept_strand, [&m] {
    asio::error_code ec;
    m.acceptor->close(ec);
    m.accept_retry->cancel();
  });
  // 2. A long script would hold a worker (and the engine) until it ends:
  //    ask for it to be killed, as SHUTDOWN NOSAVE would (S4). This is
  //    harmless when nothing runs (NOTBUSY) or the script wrote (UNKILLABLE).
  {
    auto s = m.shared.engine->Connect();
    // Only allow-busy commands get through while a script runs, so these
    // return promptly; without a running script they just report NOTBUSY.
    s->Call({"SCRIPT", "KILL"});
    s->Call({"FUNCTION", "KILL"});
  }
  // 3. Close every connection on its own strand.
  std::vector<std::shared_ptr<ClientConnection>> conns;
  {
    std::lock_guard<std::mutex> l(m.shared.conns_mu);
    for (auto& [ptr, weak] : m.shared.conns) {
      if (auto c = weak.lock()) conns.push_back(std::move(c));
    }
  }
  for (auto& c : conns) c->CloseAsync();
  conns.clear();
  // 4. Blocking commands (BLPOP...) run on threads of their own and post
  //    their reply to the workers: wait for them first. One waiting with no
  //    timeout keeps waiting until another client serves it.
  {
    std::unique_lock<std::mutex> l(m.shared.blocking_mu);
    if (!m.shared.blocking_cv.wait_for(l, grace, [&m] { return m.shared.blocking_calls == 0; })) return false;
  }
  // 5. Wait for the loops, which end once no work is left. A command may
  //    still be running (an unkillable script): then report failure; a
  //    later Stop (or the destructor) waits again.
  if (!m.loops->Join(grace)) return false;
  m.accept_retry.reset();
  m.acceptor.reset();
  m.accept_strand.reset();
  m.loops.reset();
  m.running = false;
  return true;
}

void Server::RequestShutdown() {
  std::lock_guard<std::mutex> l(impl_->shutdown_mu);
  impl_->shutdown_requested = true;
  impl_->shutdown_cv.notify_all();
}

bool Server::WaitForShutdownRequest(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> l(impl_->shutdown_mu);
  if (timeout == std::chrono::milliseconds::max()) {
    impl_->shutdown_cv.wait(l, [&] { return impl_->shutdown_requested; });
    return true;
  }
  return impl_->shutdown_cv.wait_for(l, timeout, [&] { return impl_->shutdown_requested; });
}

}  // namespace txlab
