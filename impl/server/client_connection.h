// ClientConnection: one client of the Server (private to impl/server).
//
// STATE MACHINE (all on the connection's strand, so never two at once):
//   read  -> Feed the parser -> run complete commands, appending replies to
//            out_ (at most kOutputBudget bytes per round, so a huge pipeline
//            cannot grow the reply buffer without bound)
//         -> write out_ (directly; only what does not fit the socket buffer
//            asynchronously) -> run more buffered commands, or read again.
//   A protocol error, QUIT or SHUTDOWN sets close_after_reply_: the pending
//   replies are written, the sending side is shut down, and the socket is
//   drained briefly before closing, so the client reads the error instead of
//   a reset. An HTTP request line (POST, Host:) closes at once with no reply,
//   as Redis does against cross-protocol scripting.
//
// The Session is created in Start and destroyed with the ClientConnection: that is
// the client disconnect of the engine's contract (T10).
#ifndef TXLAB_IMPL_SERVER_CLIENT_CONNECTION_H_
#define TXLAB_IMPL_SERVER_CLIENT_CONNECTION_H_

#include <asio.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "impl/engine/command.h"
#include "impl/engine/engine.h"
#include "impl/server/resp_parser.h"
#include "impl/server/server_shared.h"
#include "model/reply.h"

namespace txlab {

// A connection's handlers run on a strand of its event loop. The socket and
// timer name that executor type, not asio::any_io_executor: no type-erased
// executor calls on every operation (measured: ~1.5% of the server's CPU
// under redis-benchmark).
using ConnectionStrand = asio::strand<asio::io_context::executor_type>;
using ConnectionSocket = asio::basic_stream_socket<asio::ip::tcp, ConnectionStrand>;
using ConnectionTimer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                                   asio::wait_traits<std::chrono::steady_clock>, ConnectionStrand>;

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  // `socket` was accepted on a strand of one of the server's event loops.
  ClientConnection(ServerShared* shared, ConnectionSocket socket);
  ~ClientConnection();
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  // Registers with the server and starts reading.
  void Start();

  // Thread-safe: closes the connection from its strand.
  void CloseAsync();

  // One CLIENT LIST line for this connection. Thread-safe.
  std::string InfoLine() const;
  // A text reply as Redis sends INFO and CLIENT INFO/LIST: a verbatim string
  // ("txt") to a RESP3 connection, a bulk string to RESP2.
  Reply TextReply(std::string text) const {
    return resp_.load(std::memory_order_relaxed) == 3 ? Reply::Verbatim(text) : Reply::Bulk(std::move(text));
  }

  int64_t id() const { return id_; }

 private:
  // ---- the I/O loop (client_connection.cc) ----
  void DoRead();
  void OnRead(const asio::error_code& ec, size_t n);
  // The one step function: unless a write or a blocking command is in
  // flight, runs buffered commands, then writes their replies, or reads
  // more, or lingers before closing. Every completion calls it again.
  void Continue();
  // Runs complete commands until the parser needs more bytes, the output
  // budget is used, a blocking command was started, or the connection must
  // close.
  void RunBuffered();
  void OnWritten(const asio::error_code& ec);
  // A command that may block (BLPOP...) runs on a thread of its own, so a
  // handful of waiting clients cannot occupy every worker (and with them the
  // LPUSH that would wake them). The connection reads nothing meanwhile, as
  // a blocked Redis client does.
  void StartBlockingCall();
  // Graceful close after the last reply: shut down sending, drain input.
  void Linger();
  void LingerRead();
  void Close();

  // ---- commands (client_connection_commands.cc) ----
  // Runs one command: here if it is connection-level, else in the Session.
  // `spec` is the engine's command for argv[0], or nullptr.
  void Execute(const CommandSpec* spec, std::vector<std::string>& argv);
  // Answers connection-level commands; false if `argv` is for the engine.
  bool ExecuteHere(const std::vector<std::string>& argv, Reply* reply);
  Reply Hello(const std::vector<std::string>& argv);
  Reply Auth(const std::vector<std::string>& argv);
  Reply Client(const std::vector<std::string>& argv);
  Reply Config(const std::vector<std::string>& argv);
  Reply Info(const std::vector<std::string>& argv);
  Reply CommandCmd(const std::vector<std::string>& argv);
  Reply Shutdown(const std::vector<std::string>& argv);
  // ---- connection commands inside MULTI (client_connection_multi.cc) ----
  // Inside MULTI: queues a connection-level command as Redis does (checked
  // now, run at EXEC in its place among the engine's commands). False if
  // `argv` is not connection-level.
  bool QueueHere(const std::vector<std::string>& argv, Reply* reply);
  // After the engine answered a command while commands are queued here:
  // runs them into EXEC's reply, or forgets them (DISCARD, RESET, abort).
  void FinishQueuedHere(Reply* reply);
  // After the engine ran RESET: protocol, name and authentication too.
  void AfterReset();
  // Whether `password` is right for `user` (only "default" exists).
  bool CheckPassword(std::string_view user, std::string_view password) const;
  void SetAuthenticated(bool v);
  void AppendReply(const Reply& r);

  ServerShared* const shared_;
  ConnectionSocket socket_;
  int64_t id_ = 0;  // the engine session's id (CLIENT ID)
  const std::string addr_;   // "ip:port" of the client
  const std::string laddr_;  // "ip:port" of our side
  const std::chrono::steady_clock::time_point created_ = std::chrono::steady_clock::now();

  std::unique_ptr<Session> session_;
  const CommandTable& commands_;
  RequestParser parser_;
  std::vector<std::string> argv_;
  std::array<char, 64 * 1024> read_buf_;
  std::string out_;        // replies being produced
  std::string write_buf_;  // replies being written asynchronously (what did not fit)
  ConnectionTimer linger_timer_;
  size_t lingered_bytes_ = 0;
  bool lingering_ = false;

  // Protocol version (HELLO). Atomic only because InfoLine reads it from
  // other threads; this connection's strand is the only writer.
  std::atomic<int> resp_{2};
  bool authenticated_ = true;  // false while requirepass is set and no AUTH yet
  bool writing_ = false;   // an async_write is in flight
  bool blocked_ = false;   // a blocking command runs on its own thread
  bool close_after_reply_ = false;
  bool close_now_ = false;
  bool closed_ = false;
  // Connection commands queued inside MULTI, each behind a placeholder
  // (ECHO <token>) in the engine's queue whose reply slot it takes at EXEC.
  std::vector<std::pair<std::string, std::vector<std::string>>> queued_here_;
  uint64_t queued_here_seq_ = 0;

  // Read by InfoLine from other connections' threads.
  mutable std::mutex info_mu_;
  std::string name_;  // guarded by info_mu_ (CLIENT SETNAME)
  // Snapshots for CLIENT LIST, written by this connection's strand on every
  // read / MULTI and EXEC: atomics rather than info_mu_, off the hot path's locks.
  std::atomic<int64_t> last_active_{0};  // CLOCK_MONOTONIC_COARSE ns of the last read (or of the connect)
  std::atomic<bool> in_multi_{false};
};

}  // namespace txlab

#endif  // TXLAB_IMPL_SERVER_CLIENT_CONNECTION_H_
