// Test helpers: real redis-server processes started with scripts/redis/
// (start-server, start-cluster) and always stopped by PID:
//   * by the destructor (also when an ASSERT fails);
//   * at exit and on a fatal signal (SIGABRT, SIGSEGV, SIGTERM, SIGINT: the
//     recorded PIDs get SIGKILL, then the signal proceeds);
//   * by a watchdog shell started with each server, which stops it (with
//     stop-server/stop-cluster) once the test process is gone, e.g. killed by
//     a ctest timeout. It polls twice a second for at most 10 minutes.
#ifndef TXLAB_IMPL_TARGETS_TEST_REDIS_H_
#define TXLAB_IMPL_TARGETS_TEST_REDIS_H_

#include <string>
#include <vector>

namespace txlab::testing {

// Runs a shell command; its stdout; exit status in *status.
std::string Shell(const std::string& cmd, int* status = nullptr);

class RedisProcesses {
 public:
  // kind: "server", "cluster", or "txlab-serve" (`txlab serve` through
  // scripts/redis/start-txlab-serve; `args` then starts with the binary).
  // `args` are appended to the start script's command line, unquoted.
  explicit RedisProcesses(const std::string& kind, const std::string& args = "");
  ~RedisProcesses();
  RedisProcesses(const RedisProcesses&) = delete;
  RedisProcesses& operator=(const RedisProcesses&) = delete;

  bool ok() const { return !ports_.empty(); }
  const std::string& output() const { return output_; }
  int port() const { return ports_.empty() ? 0 : ports_[0]; }
  const std::vector<int>& ports() const { return ports_; }
  const std::vector<int>& pids() const { return pids_; }
  // SIGKILLs node i now (the rest is still cleaned up later).
  void Kill(size_t i = 0);
  // Stops everything now (idempotent).
  void Stop();

 private:
  std::string kind_;
  std::string output_;
  std::string dir_;
  std::vector<int> ports_;
  std::vector<int> pids_;
};

}  // namespace txlab::testing

#endif  // TXLAB_IMPL_TARGETS_TEST_REDIS_H_
