// Server: txlab's embedded engine on the wire, speaking RESP2 and RESP3 like
// redis-server 7.0 (what `txlab serve` runs).
//
// WHAT IT DOES
//   Accepts TCP connections on a loopback address (127.0.0.1 by default),
//   gives each one an engine Session, parses requests with RequestParser
//   (Redis's exact protocol errors; a protocol error is answered and then the
//   connection is closed), runs them, and writes the replies in the
//   connection's protocol (RESP2 until HELLO 3). Pipelined requests are run
//   in order and their replies written together.
//
//   ClientConnection-level commands are answered here, not by the engine:
//   HELLO, AUTH, QUIT, CLIENT (ID SETNAME GETNAME INFO LIST HELP), CONFIG
//   (GET SET RESETSTAT), INFO, COMMAND (COUNT LIST INFO DOCS), SHUTDOWN.
//   RESET is run by the engine (discarding MULTI and WATCH, T10) and then
//   resets the connection's protocol, name and authentication here.
//   Everything else goes to Session::Call unchanged, so the engine's
//   atomicity and MULTI/WATCH/script semantics are exactly the embedded ones.
//   Inside MULTI they are queued as Redis queues them (checked at once, run
//   at EXEC in their slot; client_connection_multi.cc), except QUIT, which
//   acts at once, and SHUTDOWN, which is refused.
//
// THREADING
//   `threads` event loops (EventLoops, event_loops.h), each run by one
//   thread; a connection stays on one loop, on a strand of its own, so its
//   Session is used by one thread at a time, in order. A command runs on the
//   thread that read it. A long script holds that thread; a watchdog then
//   lends the loop another thread, so the loop's other clients (like those
//   of the other loops) get BUSY from the engine's lock-wait loop (S2) and
//   may send SCRIPT KILL (S4). A client that disconnects has its Session
//   destroyed, which discards its MULTI (T10); during BUSY the engine defers
//   the rest of the cleanup instead of waiting for the script.
//
// LIFETIME
//   Start() binds and starts accepting. Stop() (from any thread but a
//   worker) closes the listener and every connection and waits for the
//   workers. The Engine must outlive the Server.
#ifndef TXLAB_IMPL_SERVER_SERVER_H_
#define TXLAB_IMPL_SERVER_SERVER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "impl/server/resp_parser.h"

namespace txlab {

class Engine;
struct ServerShared;  // private: impl/server/server_shared.h

// The default ServerOptions::busy_poll (results/bench/server-*.md).
inline constexpr std::chrono::microseconds kDefaultBusyPoll{50};

struct ServerOptions {
  // Address to listen on. Only loopback addresses are accepted unless
  // allow_non_loopback is set: txlab has no access control beyond AUTH.
  std::string bind = "127.0.0.1";
  bool allow_non_loopback = false;
  // 0 picks a free port (read it back with Server::port()).
  int port = 7379;
  // Like redis-server's requirepass: empty means no AUTH needed.
  std::string requirepass;
  // Event loops (one thread each, more lent while one is stuck in a long
  // command); 0 means DefaultLoops().
  int threads = 0;
  // How long an event loop with nothing to do keeps polling before it sleeps
  // (EventLoops, event_loops.h: fewer wake-ups under load, CPU spent while
  // polling). 0: sleep at once.
  std::chrono::microseconds busy_poll{kDefaultBusyPoll};
  RespLimits limits;
  // Whether the SHUTDOWN command may stop the server (it then calls
  // Server::RequestShutdown; the owner performs the Stop).
  bool allow_shutdown_command = true;
  // The busy-reply-threshold the Engine was built with (EngineOptions), so
  // CONFIG GET can report it.
  int64_t busy_reply_threshold_ms = 5000;
};

// max(1, hardware threads / 2): the clients of a benchmark on the same
// machine need CPU too (measured in results/bench/server-*.md).
int DefaultLoops();

class Server {
 public:
  // `engine` is not owned and must outlive the Server.
  Server(Engine* engine, ServerOptions options);
  ~Server();  // Stop()s if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving. Returns false with *error set if the address
  // cannot be used (or is not loopback, see ServerOptions::bind).
  bool Start(std::string* error);

  // The port actually bound (useful with port 0). Valid after Start.
  int port() const;

  // Stops accepting, closes every connection and waits for the workers to
  // finish. A command still running (a long script) is waited for; Stop
  // first asks the engine to SCRIPT KILL / FUNCTION KILL it.
  // Returns false if the workers did not finish within `grace` (then the
  // Server must not be destroyed before they do; a process can _exit).
  bool Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  // Blocks until RequestShutdown() is called (by the SHUTDOWN command, or by
  // a signal handler thread of the owner) or `timeout` passes. Returns
  // whether shutdown was requested.
  bool WaitForShutdownRequest(std::chrono::milliseconds timeout = std::chrono::milliseconds::max());
  void RequestShutdown();

  // Connections currently open.
  int64_t connected_clients() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_SERVER_SERVER_H_
