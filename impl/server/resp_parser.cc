#include "impl/server/resp_parser.h"

#include <climits>
#include <cstring>

namespace txlab {

namespace {

constexpr size_t kNpos = std::string::npos;

// strchr(buf + from, ch) on Redis's NUL-terminated query buffer: the first
// `ch` at or after `from`, unless a NUL byte comes first.
size_t FindBeforeNul(const std::string& buf, size_t from, char ch) {
  const char* start = buf.data() + from;
  size_t n = buf.size() - from;
  const void* hit = std::memchr(start, ch, n);
  size_t limit = hit ? static_cast<const char*>(hit) - start : n;
  if (std::memchr(start, '\0', limit) != nullptr) return kNpos;
  return hit ? from + limit : kNpos;
}

bool IsCSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

}  // namespace

bool RedisStringToInt64(std::string_view s, int64_t* out) {
  // util.c string2ll, step by step: LONG_STR_SIZE is 21.
  if (s.empty() || s.size() >= 21) return false;
  if (s.size() == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    if (++i == s.size()) return false;
  }
  if (s[i] < '1' || s[i] > '9') return false;
  uint64_t v = static_cast<uint64_t>(s[i++] - '0');
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > UINT64_MAX / 10) return false;
    v *= 10;
    if (v > UINT64_MAX - d) return false;
    v += d;
  }
  if (negative) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

bool SplitInlineArgs(std::string_view line, std::vector<std::string>* args) {
  // sds.c sdssplitargs, over a C string: stop at the first NUL.
  line = line.substr(0, std::min(line.size(), line.find('\0')));
  auto at = [&](size_t i) -> char { return i < line.size() ? line[i] : '\0'; };
  args->clear();
  size_t p = 0;
  while (true) {
    while (at(p) != '\0' && IsCSpace(at(p))) ++p;
    if (at(p) == '\0') return true;
    std::string current;
    bool in_dq = false, in_sq = false, done = false;
    while (!done) {
      char c = at(p);
      if (in_dq) {
        if (c == '\\' && at(p + 1) == 'x' && IsHexDigit(at(p + 2)) && IsHexDigit(at(p + 3))) {
          current.push_back(static_cast<char>(HexValue(at(p + 2)) * 16 + HexValue(at(p + 3))));
          p += 3;
        } else if (c == '\\' && at(p + 1) != '\0') {
          ++p;
          switch (at(p)) {
            case 'n': current.push_back('\n'); break;
            case 'r': current.push_back('\r'); break;
            case 't': current.push_back('\t'); break;
            case 'b': current.push_back('\b'); break;
            case 'a': current.push_back('\a'); break;
            default: current.push_back(at(p)); break;
          }
        } else if (c == '"') {
          // A closing quote must be followed by a space or the end.
          if (at(p + 1) != '\0' && !IsCSpace(at(p + 1))) return false;
          done = true;
        } else if (c == '\0') {
          return false;  // unterminated quotes
        } else {
          current.push_back(c);
        }
      } else if (in_sq) {
        if (c == '\\' && at(p + 1) == '\'') {
          ++p;
          current.push_back('\'');
        } else if (c == '\'') {
          if (at(p + 1) != '\0' && !IsCSpace(at(p + 1))) return false;
          done = true;
        } else if (c == '\0') {
          return false;
        } else {
          current.push_back(c);
        }
      } else {
        switch (c) {
          // Only these end an unquoted token ('\v' and '\f' do not), as in Redis.
          case ' ':
          case '\n':
          case '\r':
          case '\t':
          case '\0': done = true; break;
          case '"': in_dq = true; break;
          case '\'': in_sq = true; break;
          default: current.push_back(c); break;
        }
      }
      if (at(p) != '\0') ++p;
    }
    args->push_back(std::move(current));
  }
}

RequestParser::RequestParser(RespLimits limits) : limits_(limits) {}

void RequestParser::Feed(std::string_view bytes) {
  Compact();
  buf_.append(bytes.data(), bytes.size());
}

void RequestParser::Compact() {
  if (pos_ == 0) return;
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ >= 4096 && pos_ * 2 >= buf_.size()) {
    // Moving the tail costs no more than the bytes already consumed.
    buf_.erase(0, pos_);
    pos_ = 0;
  }
}

RequestParser::Status RequestParser::Fail(std::string msg) {
  // addReplyErrorFormat: a newline inside an error would break the protocol.
  for (char& c : msg) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  error_ = std::move(msg);
  return Status::kError;
}

RequestParser::Status RequestParser::Next(std::vector<std::string>* argv) {
  if (!error_.empty()) return Status::kError;
  while (true) {
    // Between requests: the first byte picks the form. A multibulk request
    // keeps its form until complete (multibulk_left_ > 0).
    if (multibulk_left_ == 0) {
      if (pos_ >= buf_.size()) return Status::kNeedMore;
      Status s = buf_[pos_] == '*' ? ParseMultibulk(argv) : ParseInline(argv);
      if (s == Status::kCommand && argv->empty()) continue;  // empty line, "*0", "*-1"
      return s;
    }
    Status s = ParseMultibulk(argv);
    if (s == Status::kCommand && argv->empty()) continue;
    return s;
  }
}

RequestParser::Status RequestParser::ParseInline(std::vector<std::string>* argv) {
  size_t nl = FindBeforeNul(buf_, pos_, '\n');
  // Redis fails once more than 64 KB wait without a line end, and reads 16 KB
  // at a time, so whether it sees a long line whole depends on timing. Here
  // the limit is on the line itself (the "+ 1" leaves room for its '\r'),
  // so the outcome never depends on how the bytes were split into reads.
  if (nl == kNpos) {
    if (buffered() > limits_.max_inline_len + 1) return Fail("ERR Protocol error: too big inline request");
    return Status::kNeedMore;
  }
  size_t end = nl;
  if (end != pos_ && buf_[end - 1] == '\r') --end;
  if (end - pos_ > limits_.max_inline_len) return Fail("ERR Protocol error: too big inline request");
  std::string_view line(buf_.data() + pos_, end - pos_);
  if (!SplitInlineArgs(line, argv)) return Fail("ERR Protocol error: unbalanced quotes in request");
  pos_ = nl + 1;
  return Status::kCommand;  // possibly empty: the caller skips it
}

RequestParser::Status RequestParser::ParseMultibulk(std::vector<std::string>* argv) {
  if (multibulk_left_ == 0) {
    // "*<count>\r\n". Redis finds the '\r' and skips two bytes.
    size_t cr = FindBeforeNul(buf_, pos_, '\r');
    // The length check also covers a header that arrived whole, so that the
    // outcome never depends on how the bytes were split into reads.
    if ((cr == kNpos ? buffered() : cr - pos_) > limits_.max_inline_len) {
      return Fail("ERR Protocol error: too big mbulk count string");
    }
    if (cr == kNpos || cr + 1 >= buf_.size()) return Status::kNeedMore;  // need '\r' and one more byte
    int64_t n = 0;
    bool ok = RedisStringToInt64(std::string_view(buf_.data() + pos_ + 1, cr - pos_ - 1), &n);
    if (!ok || n > limits_.max_multibulk_len) return Fail("ERR Protocol error: invalid multibulk length");
    if (n > limits_.unauth_max_multibulk_len && auth_required_) {
      return Fail("ERR Protocol error: unauthenticated multibulk length");
    }
    pos_ = cr + 2;
    if (n <= 0) {
      argv->clear();
      return Status::kCommand;  // ignored by Next
    }
    multibulk_left_ = n;
    argc_ = 0;
    bulk_len_ = -1;
    // Redis preallocates at most 1024 slots; so do we, then grow.
    if (pending_.size() < static_cast<size_t>(std::min<int64_t>(n, 1024))) {
      pending_.resize(static_cast<size_t>(std::min<int64_t>(n, 1024)));
    }
  }

  while (multibulk_left_ > 0) {
    if (bulk_len_ == -1) {
      size_t cr = FindBeforeNul(buf_, pos_, '\r');
      if ((cr == kNpos ? buffered() : cr - pos_) > limits_.max_inline_len) {
        return Fail("ERR Protocol error: too big bulk count string");
      }
      if (cr == kNpos || cr + 1 >= buf_.size()) return Status::kNeedMore;
      if (buf_[pos_] != '$') {
        return Fail(std::string("ERR Protocol error: expected '$', got '") + buf_[pos_] + "'");
      }
      int64_t len = 0;
      bool ok = RedisStringToInt64(std::string_view(buf_.data() + pos_ + 1, cr - pos_ - 1), &len);
      if (!ok || len < 0 || len > limits_.max_bulk_len) return Fail("ERR Protocol error: invalid bulk length");
      if (len > limits_.unauth_max_bulk_len && auth_required_) {
        return Fail("ERR Protocol error: unauthenticated bulk length");
      }
      pos_ = cr + 2;
      bulk_len_ = len;
      // A big argument: make room once instead of growing the buffer by
      // doubling while it arrives.
      if (len >= 32 * 1024) {
        Compact();
        buf_.reserve(pos_ + static_cast<size_t>(len) + 2);
      }
    }
    size_t need = static_cast<size_t>(bulk_len_) + 2;  // payload and "\r\n"
    if (buf_.size() - pos_ < need) return Status::kNeedMore;
    if (argc_ == pending_.size()) pending_.emplace_back();
    pending_[argc_].assign(buf_, pos_, static_cast<size_t>(bulk_len_));
    ++argc_;
    pos_ += need;
    bulk_len_ = -1;
    --multibulk_left_;
  }

  argv->resize(argc_);
  for (size_t i = 0; i < argc_; ++i) (*argv)[i].swap(pending_[i]);
  argc_ = 0;
  // One huge request should not pin its slots for the connection's life.
  if (pending_.size() > 4096) {
    pending_.resize(1024);
    pending_.shrink_to_fit();
  }
  return Status::kCommand;
}

}  // namespace txlab
