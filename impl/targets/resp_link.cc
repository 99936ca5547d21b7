#include "impl/targets/resp_link.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>

#include "impl/server/resp_writer.h"

namespace txlab {
namespace {

int64_t MonoNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Waits until fd is ready for `events` or the deadline passes. 1 ready,
// 0 timed out, -1 error.
int WaitFd(int fd, short events, int64_t deadline_ns) {
  for (int i = 0; i < 1000000; ++i) {  // EINTR retries; each pass bounded by the deadline
    const int64_t left_ns = deadline_ns - MonoNs();
    if (left_ns <= 0) return 0;
    pollfd p{fd, events, 0};
    const int r = poll(&p, 1, static_cast<int>((left_ns + 999'999) / 1'000'000));
    if (r > 0) return 1;
    if (r == 0) continue;  // re-check the deadline
    if (errno != EINTR) return -1;
  }
  return -1;
}

}  // namespace

Reply IoError(const std::string& what, const std::string& addr) {
  return Reply::Error("IOERR " + what + " (" + addr + ")");
}

RespLink::RespLink(std::string host, int port, NetOptions options)
    : host_(std::move(host)), port_(port), addr_(host_ + ":" + std::to_string(port)), options_(options) {}

RespLink::~RespLink() { Close(); }

void RespLink::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  reader_ = ReplyReader();
}

bool RespLink::EnsureConnected(std::string* error) {
  if (fd_ >= 0) return true;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port_));
  if (inet_pton(AF_INET, host_.c_str(), &sa.sin_addr) != 1) {
    *error = "bad address";
    return false;
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  const int64_t deadline = MonoNs() + options_.connect_timeout_ms * 1'000'000;
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  if (rc != 0 && errno != EINPROGRESS) {
    *error = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return false;
  }
  if (rc != 0) {
    const int w = WaitFd(fd, POLLOUT, deadline);
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (w == 0) {
      *error = "connect timed out";
    } else if (w < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0) {
      *error = std::string("connect: ") + std::strerror(errno);
    } else if (soerr != 0) {
      *error = std::string("connect: ") + std::strerror(soerr);
    }
    if (w != 1 || soerr != 0) {
      ::close(fd);
      return false;
    }
  }
  // One small request per round trip: never wait for Nagle.
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fd_ = fd;
  reader_ = ReplyReader();
  ++generation_;
  return true;
}

bool RespLink::WriteAll(const std::string& bytes, int64_t deadline_ns, std::string* error) {
  size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n > 0) {
      off += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      const int w = WaitFd(fd_, POLLOUT, deadline_ns);
      if (w == 1) continue;
      *error = w == 0 ? "send timed out" : std::string("poll: ") + std::strerror(errno);
      return false;
    }
    *error = std::string("send: ") + std::strerror(errno);
    return false;
  }
  return true;
}

bool RespLink::ReadReply(Reply* out, int64_t deadline_ns, std::string* error) {
  char buf[16384];
  for (;;) {  // ends on a reply, an error, EOF or the deadline
    switch (reader_.Next(out)) {
      case ReplyReader::Status::kReply: return true;
      case ReplyReader::Status::kError: *error = "malformed reply: " + reader_.error(); return false;
      case ReplyReader::Status::kNeedMore: break;
    }
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      reader_.Feed(std::string_view(buf, static_cast<size_t>(n)));
      continue;
    }
    if (n == 0) {
      *error = "connection closed by server";
      return false;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      const int w = WaitFd(fd_, POLLIN, deadline_ns);
      if (w == 1) continue;
      *error = w == 0 ? "reply timed out" : std::string("poll: ") + std::strerror(errno);
      return false;
    }
    *error = std::string("recv: ") + std::strerror(errno);
    return false;
  }
}

Reply RespLink::Call(const std::vector<std::string>& argv) {
  std::vector<Reply> r = Pipeline({argv});
  return std::move(r[0]);
}

std::vector<Reply> RespLink::Pipeline(const std::vector<std::vector<std::string>>& cmds) {
  std::vector<Reply> replies;
  replies.reserve(cmds.size());
  std::string error;
  if (!EnsureConnected(&error)) {
    for (size_t i = 0; i < cmds.size(); ++i) replies.push_back(IoError(error, addr_));
    return replies;
  }
  std::string bytes;
  for (const auto& argv : cmds) {
    std::vector<std::string_view> views(argv.begin(), argv.end());
    AppendCommand(views, &bytes);
  }
  const int64_t deadline = MonoNs() + options_.timeout_ms * 1'000'000;
  bool ok = WriteAll(bytes, deadline, &error);
  for (size_t i = 0; ok && i < cmds.size(); ++i) {
    Reply r;
    ok = ReadReply(&r, deadline, &error);
    if (ok) replies.push_back(std::move(r));
  }
  if (!ok) {
    Close();
    while (replies.size() < cmds.size()) replies.push_back(IoError(error, addr_));
  }
  return replies;
}

}  // namespace txlab
