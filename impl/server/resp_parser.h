// RequestParser: the server side of RESP. Turns the bytes a client sends into
// commands (argv vectors), incrementally, exactly as redis-server 7.0 does.
//
// Two request forms share one stream (Redis networking.c, processInputBuffer):
//   * multibulk: "*<n>\r\n" then n times "$<len>\r\n<len bytes>\r\n";
//   * inline: any other line, split like redis-cli input (sdssplitargs:
//     spaces separate, "double quotes" with \n \r \t \b \a \xHH escapes,
//     'single quotes' with \' only). Empty lines are skipped.
// The first byte of each request picks the form: '*' means multibulk.
//
// Protocol errors carry Redis's exact texts (checked against redis-server
// 7.0.15, see resp_parser_test.cc):
//   ERR Protocol error: invalid multibulk length
//   ERR Protocol error: invalid bulk length
//   ERR Protocol error: expected '$', got 'x'
//   ERR Protocol error: unbalanced quotes in request
//   ERR Protocol error: too big inline request
//   ERR Protocol error: too big mbulk count string
//   ERR Protocol error: too big bulk count string
//   ERR Protocol error: unauthenticated multibulk length
//   ERR Protocol error: unauthenticated bulk length
// After an error the parser is stuck: the server sends the error and closes
// the connection (Redis's CLIENT_CLOSE_AFTER_REPLY). Commands completed before
// the bad bytes are still returned first, as Redis runs them first.
//
// Redis quirks kept on purpose, so that a client sees the same thing from
// txlab as from redis-server:
//   * The two bytes after a header's '\r' and after a bulk's payload are
//     skipped without checking that they are "\r\n".
//   * Header lines are searched with strchr(): a NUL byte before the line end
//     hides the line end, and the request waits for more input (until the
//     64 KB inline limit turns it into an error).
//   * An inline line is split as a C string: it ends at its first NUL.
//   * "*0" and "*-1" requests are ignored.
//   * Lengths use Redis's strict string2ll: no '+', no leading zeros, no spaces.
//
// Deliberate difference: redis-server 7.0 accepts multibulk counts up to
// INT_MAX (verified: "*1048577" waits for more input); the default limit here
// is 1024*1024 (the 6.x value), configurable in RespLimits. Beyond it the
// reply is "invalid multibulk length", as in 6.x.
//
// THREAD SAFETY: none; one parser per connection, used by one thread at a time.
#ifndef TXLAB_IMPL_SERVER_RESP_PARSER_H_
#define TXLAB_IMPL_SERVER_RESP_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace txlab {

struct RespLimits {
  // proto-max-bulk-len: the largest argument, in bytes.
  int64_t max_bulk_len = 512LL * 1024 * 1024;
  // The most arguments in one multibulk request.
  int64_t max_multibulk_len = 1024 * 1024;
  // PROTO_INLINE_MAX_SIZE: the longest inline line and the longest
  // "*<n>" / "$<len>" header that may sit unterminated in the buffer.
  size_t max_inline_len = 64 * 1024;
  // While the client is not authenticated (requirepass): Redis's limits
  // against pre-auth memory use.
  int64_t unauth_max_multibulk_len = 10;
  int64_t unauth_max_bulk_len = 16384;
};

class RequestParser {
 public:
  enum class Status {
    kNeedMore,  // no complete command in the buffer; Feed more bytes
    kCommand,   // *argv holds the next command (never empty)
    kError,     // protocol error: see error(); the connection must close
  };

  explicit RequestParser(RespLimits limits = {});

  // Appends bytes received from the client.
  void Feed(std::string_view bytes);

  // Parses the next complete command from the buffered bytes.
  // On kCommand, *argv is overwritten (its strings' capacity is reused).
  // After kError every further call returns kError.
  Status Next(std::vector<std::string>* argv);

  // The error reply text without the leading '-', e.g.
  // "ERR Protocol error: invalid bulk length". Empty unless Next returned kError.
  const std::string& error() const { return error_; }

  // Whether the unauthenticated limits apply (requirepass set and the client
  // has not authenticated yet). Changing it between commands is allowed.
  void set_auth_required(bool v) { auth_required_ = v; }

  // Bytes received but not yet consumed as part of a complete command.
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  Status ParseInline(std::vector<std::string>* argv);
  Status ParseMultibulk(std::vector<std::string>* argv);
  Status Fail(std::string msg);
  // Drops consumed bytes from the front of buf_ when worthwhile.
  void Compact();

  RespLimits limits_;
  bool auth_required_ = false;
  std::string buf_;
  size_t pos_ = 0;  // first unconsumed byte of buf_

  // Multibulk state that survives across Feed calls (Redis's multibulklen,
  // bulklen): a request may arrive in many pieces.
  int64_t multibulk_left_ = 0;  // arguments still to read; 0: between requests
  int64_t bulk_len_ = -1;       // length of the argument being read, -1: header next
  size_t argc_ = 0;             // arguments of the current request read so far
  std::vector<std::string> pending_;  // the current request's arguments

  std::string error_;
};

// Redis's string2ll (util.c): strict decimal parse of a whole string.
// Returns false for empty input, '+', leading zeros, spaces, overflow,
// or more than 20 characters.
bool RedisStringToInt64(std::string_view s, int64_t* out);

// Redis's sdssplitargs: splits one inline request line into arguments.
// `line` is treated as a C string (it ends at its first NUL byte).
// Returns false on unbalanced quotes, or a closing quote followed by
// something other than a space.
bool SplitInlineArgs(std::string_view line, std::vector<std::string>* args);

}  // namespace txlab

#endif  // TXLAB_IMPL_SERVER_RESP_PARSER_H_
