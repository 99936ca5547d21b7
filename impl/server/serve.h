// RunServe: the whole `txlab serve` program (an Engine, a Server on top of
// it, signal handling), independent of how its flags are parsed. Used by
// cli/serve_command.cc (`txlab serve`) and by the standalone txlab_serve
// binary that the benchmark scripts start.
#ifndef TXLAB_IMPL_SERVER_SERVE_H_
#define TXLAB_IMPL_SERVER_SERVE_H_

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "impl/server/server.h"

namespace txlab {

struct ServeConfig {
  std::string bind = "127.0.0.1";
  int port = 7379;  // 0: any free port (printed at start)
  std::string requirepass;
  int threads = 0;  // event loops; 0: max(1, hardware threads / 2)
  int64_t busy_poll_us = kDefaultBusyPoll.count();  // ServerOptions::busy_poll
  int64_t busy_reply_threshold_ms = 5000;
  uint64_t seed = 0;  // math.random seed inside scripts
  // Redis's active expiry (a background pass every 100 ms). Off
  // (--no-active-expire), expired keys go only when looked up, like
  // redis-server after DEBUG SET-ACTIVE-EXPIRE 0: what the differential test
  // against redis-server needs so that DBSIZE agrees.
  bool active_expire = true;
};

// Adds the serve flags (--bind --port --requirepass --threads --busy-poll
// --busy-reply-threshold --seed --no-active-expire) to `app`, writing into *config.
void AddServeFlags(CLI::App& app, ServeConfig* config);

// Runs the server until SIGINT, SIGTERM or the SHUTDOWN command. Prints
//   txlab serve: listening on <bind>:<port> (pid <pid>, <n> threads)
// on stdout once it accepts connections. Returns the exit status: 0 after a
// clean stop, 1 if it could not listen or a running script kept it from
// stopping within 10 s.
// REQUIRES: called from the main thread before any other threads exist
// (SIGINT and SIGTERM are blocked in every thread it starts).
int RunServe(const ServeConfig& config);

}  // namespace txlab

#endif  // TXLAB_IMPL_SERVER_SERVE_H_
