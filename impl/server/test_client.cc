#include "impl/server/test_client.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <regex>

namespace txlab::testing {

int ConnectLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

RawResult RawExchange(int port, std::string_view request, std::chrono::milliseconds quiet,
                      std::chrono::milliseconds deadline, size_t chunk) {
  using Clock = std::chrono::steady_clock;
  RawResult out;
  int fd = ConnectLoopback(port);
  if (fd < 0) {
    out.closed = true;
    return out;
  }
  auto end = Clock::now() + deadline;
  if (chunk == 0) chunk = request.size() ? request.size() : 1;
  for (size_t off = 0; off < request.size(); off += chunk) {
    std::string_view piece = request.substr(off, chunk);
    size_t sent = 0;
    while (sent < piece.size()) {
      ssize_t n = ::send(fd, piece.data() + sent, piece.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the server may already have closed: read what it said
      sent += static_cast<size_t>(n);
    }
    if (sent < piece.size()) break;
  }
  char buf[65536];
  while (Clock::now() < end) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(std::min(quiet, left).count()));
    if (r == 0) break;  // quiet: the server is waiting for more
    if (r < 0) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      out.closed = true;
      break;
    }
    out.bytes.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Reply FromHiredis(const redisReply* r) {
  if (r == nullptr) return Reply::Error("IOERR no reply");
  switch (r->type) {
    case REDIS_REPLY_STATUS: return Reply::Status(std::string(r->str, r->len));
    case REDIS_REPLY_ERROR: return Reply::Error(std::string(r->str, r->len));
    case REDIS_REPLY_INTEGER: return Reply::Integer(r->integer);
    case REDIS_REPLY_STRING: return Reply::Bulk(std::string(r->str, r->len));
    case REDIS_REPLY_NIL: return Reply::Nil();
    case REDIS_REPLY_ARRAY: {
      std::vector<Reply> elems;
      for (size_t i = 0; i < r->elements; ++i) elems.push_back(FromHiredis(r->element[i]));
      return Reply::Array(std::move(elems));
    }
  }
  return Reply::Error("IOERR unknown hiredis reply type");
}

void HiredisDeleter::operator()(redisContext* c) const { redisFree(c); }

HiredisContext HiredisConnect(int port) {
  timeval tv{10, 0};
  HiredisContext c(redisConnectWithTimeout("127.0.0.1", port, tv));
  if (c && !c->err) redisSetTimeout(c.get(), tv);
  return c;
}

Reply HiredisCall(redisContext* c, const std::vector<std::string>& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* r = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), ptrs.data(), lens.data()));
  if (r == nullptr) return Reply::Error(std::string("IOERR ") + c->errstr);
  Reply out = FromHiredis(r);
  freeReplyObject(r);
  return out;
}

std::string RunShell(const std::string& cmd, int* status) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (f == nullptr) {
    if (status) *status = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  int st = ::pclose(f);
  if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

bool HaveProgram(const std::string& name) {
  int st = 0;
  RunShell("command -v " + name + " >/dev/null 2>&1", &st);
  return st == 0;
}

RealRedisServer::RealRedisServer(const std::string& source_dir, const std::string& extra_args)
    : source_dir_(source_dir) {
  int st = 0;
  output_ = RunShell(source_dir_ + "/scripts/redis/start-server " + extra_args, &st);
  std::smatch m;
  if (st == 0 && std::regex_search(output_, m, std::regex("PORT=(\\d+) DIR=(\\S+) PID=(\\d+)"))) {
    port_ = std::stoi(m[1]);
    dir_ = m[2];
    pid_ = std::stoi(m[3]);
  }
}

RealRedisServer::~RealRedisServer() {
  if (!dir_.empty()) RunShell(source_dir_ + "/scripts/redis/stop-server '" + dir_ + "'");
}

}  // namespace txlab::testing
