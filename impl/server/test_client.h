// Test helpers for talking to a RESP server over loopback TCP: raw byte
// exchanges (for malformed input), hiredis replies as Reply values, and the
// scripts/redis start/stop wrappers. Used by server_test.cc and
// real_redis_test.cc only.
#ifndef TXLAB_IMPL_SERVER_TEST_CLIENT_H_
#define TXLAB_IMPL_SERVER_TEST_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/reply.h"

struct redisReply;
struct redisContext;

namespace txlab::testing {

// What a raw exchange saw: the bytes the server sent, and whether it closed
// the connection (EOF) before `quiet` passed with no new bytes.
struct RawResult {
  std::string bytes;
  bool closed = false;
};

// Connects to 127.0.0.1:port, sends `request` (in pieces of `chunk` bytes if
// non-zero), then reads until EOF, or until nothing arrives for `quiet`, or
// `deadline` passes. Never blocks longer than `deadline`.
RawResult RawExchange(int port, std::string_view request,
                      std::chrono::milliseconds quiet = std::chrono::milliseconds(300),
                      std::chrono::milliseconds deadline = std::chrono::seconds(10), size_t chunk = 0);

// A connected blocking socket to 127.0.0.1:port, or -1. The caller closes it.
int ConnectLoopback(int port);

// hiredis reply -> Reply (RESP2 types only: hiredis 0.14 has no RESP3).
Reply FromHiredis(const redisReply* r);

// A hiredis connection to 127.0.0.1:port with 10 s connect/command timeouts
// (null or c->err set on failure), freed by its deleter.
struct HiredisDeleter {
  void operator()(redisContext* c) const;
};
using HiredisContext = std::unique_ptr<redisContext, HiredisDeleter>;
HiredisContext HiredisConnect(int port);

// Runs one command on a hiredis connection; a transport failure becomes
// Reply::Error("IOERR ...").
Reply HiredisCall(redisContext* c, const std::vector<std::string>& argv);

// Runs a shell command, returns its stdout; exit status in *status.
std::string RunShell(const std::string& cmd, int* status = nullptr);

// A real redis-server started with scripts/redis/start-server and stopped
// with stop-server when destroyed (also when a test fails).
class RealRedisServer {
 public:
  // `extra_args` are appended to redis-server's command line.
  explicit RealRedisServer(const std::string& source_dir, const std::string& extra_args = "");
  ~RealRedisServer();
  RealRedisServer(const RealRedisServer&) = delete;
  RealRedisServer& operator=(const RealRedisServer&) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  int pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  const std::string& start_output() const { return output_; }

 private:
  std::string source_dir_;
  std::string output_;
  std::string dir_;
  int port_ = 0;
  int pid_ = 0;
};

// Whether a program is on PATH.
bool HaveProgram(const std::string& name);

}  // namespace txlab::testing

#endif  // TXLAB_IMPL_SERVER_TEST_CLIENT_H_
