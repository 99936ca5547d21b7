// RespLink: one blocking RESP2 client socket to one Redis node.
//
// Call() writes one command and waits for its reply; Pipeline() writes
// several and waits for all replies. Transport trouble -- refused connect,
// connect or reply timeout, reset, EOF, a malformed reply -- closes the
// socket and yields Reply::Error("IOERR ...") for every command not answered:
// the command may or may not have run. A late reply can never be mistaken for
// the next command's, because the socket it would arrive on is gone.
//
// A closed link reconnects on the next call (generation() then grows, so
// callers can tell that session state such as MULTI, WATCH, ASKING or SELECT
// was lost). Every wait is bounded by NetOptions.
//
// THREAD SAFETY: none; one link per client thread.
#ifndef TXLAB_IMPL_TARGETS_RESP_LINK_H_
#define TXLAB_IMPL_TARGETS_RESP_LINK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "impl/server/resp_reply_reader.h"
#include "impl/targets/target_url.h"
#include "model/reply.h"

namespace txlab {

// The error reply for a transport failure: "IOERR <what> (<host:port>)".
Reply IoError(const std::string& what, const std::string& addr);
inline bool IsIoError(const Reply& r) { return r.is_error() && r.error_code() == "IOERR"; }

class RespLink {
 public:
  RespLink(std::string host, int port, NetOptions options);
  ~RespLink();
  RespLink(const RespLink&) = delete;
  RespLink& operator=(const RespLink&) = delete;

  Reply Call(const std::vector<std::string>& argv);
  std::vector<Reply> Pipeline(const std::vector<std::vector<std::string>>& cmds);

  // Connects now if closed. False (and the reason in *error) if that fails.
  bool EnsureConnected(std::string* error);
  void Close();
  bool connected() const { return fd_ >= 0; }
  // Successful connects so far (1 after the first).
  uint64_t generation() const { return generation_; }
  // "127.0.0.1:7001"
  const std::string& addr() const { return addr_; }

 private:
  bool WriteAll(const std::string& bytes, int64_t deadline_ns, std::string* error);
  bool ReadReply(Reply* out, int64_t deadline_ns, std::string* error);

  std::string host_;
  int port_;
  std::string addr_;
  NetOptions options_;
  int fd_ = -1;
  uint64_t generation_ = 0;
  ReplyReader reader_;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_TARGETS_RESP_LINK_H_
