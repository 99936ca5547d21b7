#include "impl/targets/test_redis.h"

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <regex>

namespace txlab::testing {
namespace {

// PIDs to SIGKILL from a signal handler: a fixed array, no allocation.
constexpr int kMaxPids = 64;
std::array<std::atomic<int>, kMaxPids> g_pids{};

void KillAllRecorded() {
  for (auto& p : g_pids) {
    const int pid = p.exchange(0);
    if (pid > 0) ::kill(pid, SIGKILL);
  }
}

void OnFatalSignal(int sig) {
  KillAllRecorded();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void Record(int pid) {
  static std::once_flag once;
  std::call_once(once, [] {
    std::atexit(KillAllRecorded);
    for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGTERM, SIGINT}) ::signal(s, OnFatalSignal);
  });
  for (auto& p : g_pids) {
    int expected = 0;
    if (p.compare_exchange_strong(expected, pid)) return;
  }
}

void Forget(int pid) {
  for (auto& p : g_pids) {
    int expected = pid;
    p.compare_exchange_strong(expected, 0);
  }
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace

std::string Shell(const std::string& cmd, int* status) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) {
    if (status) *status = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const int st = ::pclose(f);
  if (status) *status = st;
  return out;
}

RedisProcesses::RedisProcesses(const std::string& kind, const std::string& args) : kind_(kind) {
  int st = 0;
  output_ = Shell(std::string(TXLAB_SOURCE_DIR) + "/scripts/redis/start-" + kind_ + " " + args + " 2>&1", &st);
  std::smatch m;
  if (st != 0) return;
  // txlab serve's folder looks like a redis-server's; stop-server stops it.
  if (kind_ == "txlab-serve") kind_ = "server";
  if (kind_ == "server") {
    if (!std::regex_search(output_, m, std::regex("PORT=(\\d+) DIR=(\\S+) PID=(\\d+)"))) return;
    dir_ = m[2];
    ports_ = {std::stoi(m[1])};
    pids_ = {std::stoi(m[3])};
  } else {
    if (!std::regex_search(output_, m, std::regex("PORTS=\"(\\d+) (\\d+) (\\d+)\" PORT=\\d+ DIR=(\\S+)"))) return;
    dir_ = m[4];
    for (int i = 1; i <= 3; ++i) {
      const int port = std::stoi(m[i]);
      ports_.push_back(port);
      std::ifstream pf(dir_ + "/" + std::to_string(port) + "/pid");
      int pid = 0;
      pf >> pid;
      pids_.push_back(pid);
    }
  }
  for (int pid : pids_) Record(pid);
  // The watchdog: stops the processes if this test process dies first.
  std::string script = "for i in $(seq 1200); do [ -d \"" + dir_ + "\" ] && kill -0 " + std::to_string(::getpid()) +
                       " 2>/dev/null || break; sleep 0.5; done; \"" + TXLAB_SOURCE_DIR + "/scripts/redis/stop-" +
                       kind_ + "\" \"" + dir_ + "\"";
  Shell("nohup bash -c " + Quote(script) + " </dev/null >/dev/null 2>&1 &");
}

RedisProcesses::~RedisProcesses() { Stop(); }

void RedisProcesses::Kill(size_t i) {
  if (i >= pids_.size() || pids_[i] <= 0) return;
  const int pid = pids_[i];
  ::kill(pid, SIGKILL);
  // Wait (at most 5 s) until it is gone or a zombie: its sockets are closed.
  for (int n = 0; n < 500; ++n) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_s, comm, state;
    if (!(stat >> pid_s >> comm >> state) || state == "Z") return;
    ::usleep(10'000);
  }
}

void RedisProcesses::Stop() {
  if (dir_.empty()) return;
  Shell(std::string(TXLAB_SOURCE_DIR) + "/scripts/redis/stop-" + kind_ + " " + Quote(dir_) + " >/dev/null 2>&1");
  for (int pid : pids_) Forget(pid);
  dir_.clear();
}

}  // namespace txlab::testing
