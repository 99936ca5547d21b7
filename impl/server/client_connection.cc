#include "impl/server/client_connection.h"

#include <time.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "impl/engine/command.h"

#include "impl/server/draining_read.h"
#include "impl/server/event_loops.h"
#include "impl/server/resp_writer.h"

namespace txlab {

namespace {

// Replies produced per round before they are written: bounds the memory a
// long pipeline can pin, and lets the client drain replies while we work.
constexpr size_t kOutputBudget = 1 << 20;
// After the last reply of a closing connection, input is read and dropped
// for at most this long / this many bytes, so that closing with unread
// input does not reset the connection before the client reads the reply.
constexpr auto kLingerTime = std::chrono::milliseconds(500);
constexpr size_t kLingerBytes = 8 << 20;

// CLOCK_MONOTONIC_COARSE in nanoseconds: the time of the last tick, read
// without the TSC (CLIENT LIST's idle= is in seconds; this runs per read).
int64_t CoarseNowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

std::string Endpoint(const asio::ip::tcp::endpoint& ep) {
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

std::string RemoteOf(ConnectionSocket& s) {
  asio::error_code ec;
  auto ep = s.remote_endpoint(ec);
  return ec ? std::string("?:0") : Endpoint(ep);
}

std::string LocalOf(ConnectionSocket& s) {
  asio::error_code ec;
  auto ep = s.local_endpoint(ec);
  return ec ? std::string("?:0") : Endpoint(ep);
}

}  // namespace

ClientConnection::ClientConnection(ServerShared* shared, ConnectionSocket socket)
    : shared_(shared),
      socket_(std::move(socket)),
      addr_(RemoteOf(socket_)),
      laddr_(LocalOf(socket_)),
      session_(shared->engine->Connect()),
      commands_(CommandTable::Get()),
      parser_(shared->options.limits),
      linger_timer_(socket_.get_executor()) {
  id_ = session_->id();
  last_active_.store(CoarseNowNs(), std::memory_order_relaxed);
  authenticated_ = shared_->RequirePass().empty();
  parser_.set_auth_required(!authenticated_);
  asio::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  socket_.non_blocking(true, ec);  // Continue's direct writes never block
}

ClientConnection::~ClientConnection() {
  // The Session goes first: that is the disconnect (T10).
  session_.reset();
  shared_->connected_clients.fetch_sub(1, std::memory_order_relaxed);
  std::lock_guard<std::mutex> l(shared_->conns_mu);
  shared_->conns.erase(this);
}

void ClientConnection::Start() {
  shared_->connected_clients.fetch_add(1, std::memory_order_relaxed);
  shared_->total_connections.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> l(shared_->conns_mu);
    shared_->conns.emplace(this, weak_from_this());
  }
  DoRead();
}

void ClientConnection::CloseAsync() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->Close(); });
}

void ClientConnection::Close() {
  if (closed_) return;
  closed_ = true;
  asio::error_code ec;
  linger_timer_.cancel();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  // The disconnect (T10) happens here, inside a handler the watchdog sees,
  // unless a blocking command's thread still uses the Session (then its
  // reply handler, or the destructor, ends it).
  if (!blocked_) {
    EventLoops::BusyScope busy;
    session_.reset();
  }
}

void ClientConnection::DoRead() {
  if (closed_) return;
  // A short read ends speculation until the next EPOLLIN (draining_read.h).
  socket_.async_read_some(DrainingReadBuffer{asio::buffer(read_buf_)},
                          [self = shared_from_this()](const asio::error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void ClientConnection::OnRead(const asio::error_code& ec, size_t n) {
  if (ec || closed_) {
    Close();
    return;
  }
  last_active_.store(CoarseNowNs(), std::memory_order_relaxed);
  parser_.Feed(std::string_view(read_buf_.data(), n));
  Continue();
}

void ClientConnection::Continue() {
  while (true) {
    if (closed_ || writing_ || blocked_) return;  // their completion continues
    RunBuffered();
    if (close_now_) {
      Close();
      return;
    }
    if (!out_.empty()) {
      // Write at once, as redis-server does: the replies usually fit the
      // socket buffer, and a completed write needs no handler round trip.
      // Only what does not fit goes to an asynchronous write.
      asio::error_code ec;
      size_t n = socket_.write_some(asio::buffer(out_), ec);
      if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
        Close();
        return;
      }
      if (n < out_.size()) {
        write_buf_.assign(out_, n);
        out_.clear();
        writing_ = true;
        asio::async_write(socket_, asio::buffer(write_buf_),
                          [self = shared_from_this()](const asio::error_code& e, size_t) { self->OnWritten(e); });
        return;
      }
      // Keep the buffer's capacity unless one huge reply inflated it.
      if (out_.capacity() > 4 * kOutputBudget) {
        std::string().swap(out_);
      } else {
        out_.clear();
      }
      continue;  // more commands may be buffered
    }
    if (blocked_) return;
    if (close_after_reply_) {
      Linger();
    } else {
      DoRead();  // the parser needs more bytes
    }
    return;
  }
}

void ClientConnection::OnWritten(const asio::error_code& ec) {
  writing_ = false;
  if (ec || closed_) {
    Close();
    return;
  }
  // Keep the buffer's capacity unless one huge reply inflated it.
  if (write_buf_.capacity() > 4 * kOutputBudget) {
    std::string().swap(write_buf_);
  } else {
    write_buf_.clear();
  }
  Continue();
}

void ClientConnection::RunBuffered() {
  EventLoops::BusyScope busy;  // commands may wait for the engine lock
  while (out_.size() < kOutputBudget) {
    if (close_after_reply_ || close_now_ || blocked_) return;
    switch (parser_.Next(&argv_)) {
      case RequestParser::Status::kNeedMore: return;
      case RequestParser::Status::kError:
        shared_->rejected_protocol.fetch_add(1, std::memory_order_relaxed);
        AppendReply(Reply::Error(parser_.error()));
        close_after_reply_ = true;
        return;
      case RequestParser::Status::kCommand: {
        // Inside MULTI a blocking command is only queued; EXEC never blocks (T13).
        const CommandSpec* spec = commands_.Find(argv_[0]);
        if (spec != nullptr && spec->Has(kCmdBlocking) && authenticated_ && !session_->in_multi()) {
          StartBlockingCall();
        } else {
          Execute(spec, argv_);
        }
        break;
      }
    }
  }
}

void ClientConnection::StartBlockingCall() {
  blocked_ = true;
  shared_->total_commands.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> l(shared_->blocking_mu);
    ++shared_->blocking_calls;
  }
  // The Session moves to this thread until the reply is posted back to the
  // strand; the strand runs nothing else for this connection meanwhile
  // (blocked_ stops reads), and the post orders the two threads' accesses.
  std::thread([self = shared_from_this(), argv = argv_] {
    Reply r = self->session_->Call(argv);
    asio::post(self->socket_.get_executor(), [self, r = std::move(r)] {
      self->blocked_ = false;
      if (self->closed_) {
        EventLoops::BusyScope busy;
        self->session_.reset();  // the disconnect Close left to us
        return;
      }
      self->AppendReply(r);
      self->Continue();
    });
    // After the post: Stop joins the workers only when this reaches 0, so
    // the reply handler is already queued on them.
    std::lock_guard<std::mutex> l(self->shared_->blocking_mu);
    if (--self->shared_->blocking_calls == 0) self->shared_->blocking_cv.notify_all();
  }).detach();
}

void ClientConnection::Linger() {
  if (closed_ || lingering_) return;
  lingering_ = true;
  asio::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (ec) {
    Close();
    return;
  }
  linger_timer_.expires_after(kLingerTime);
  linger_timer_.async_wait([self = shared_from_this()](const asio::error_code& e) {
    if (!e) self->Close();
  });
  LingerRead();
}

void ClientConnection::LingerRead() {
  socket_.async_read_some(asio::buffer(read_buf_), [self = shared_from_this()](const asio::error_code& e, size_t n) {
    self->lingered_bytes_ += n;
    if (e || self->closed_ || self->lingered_bytes_ > kLingerBytes) {
      self->Close();
    } else {
      self->LingerRead();
    }
  });
}

void ClientConnection::AppendReply(const Reply& r) { txlab::AppendReply(r, resp_.load(std::memory_order_relaxed), &out_); }

std::string ClientConnection::InfoLine() const {
  auto now = std::chrono::steady_clock::now();
  const int64_t idle_s = std::max<int64_t>(0, (CoarseNowNs() - last_active_.load(std::memory_order_relaxed)) / 1000000000);
  std::lock_guard<std::mutex> l(info_mu_);
  auto secs = [](auto d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); };
  return "id=" + std::to_string(id_) + " addr=" + addr_ + " laddr=" + laddr_ + " name=" + name_ +
         " age=" + std::to_string(secs(now - created_)) + " idle=" + std::to_string(idle_s) +
         " flags=" + (in_multi_.load(std::memory_order_relaxed) ? "x" : "N") + " user=default resp=" + std::to_string(resp_.load(std::memory_order_relaxed));
}

}  // namespace txlab
