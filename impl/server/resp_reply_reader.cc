#include "impl/server/resp_reply_reader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

#include "impl/server/resp_parser.h"

namespace txlab {

namespace {
constexpr int kMaxDepth = 512;
constexpr int64_t kMaxBulk = 512LL * 1024 * 1024;
constexpr int64_t kMaxElems = 1LL << 31;
}  // namespace

void ReplyReader::Feed(std::string_view bytes) {
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ >= 4096 && pos_ * 2 >= buf_.size()) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(bytes.data(), bytes.size());
}

ReplyReader::Status ReplyReader::Next(Reply* out) {
  if (!error_.empty()) return Status::kError;
  size_t pos = pos_;
  Reply r;
  switch (Parse(&pos, 0, &r)) {
    case Step::kNeedMore: return Status::kNeedMore;
    case Step::kError: return Status::kError;
    case Step::kOk: break;
  }
  pos_ = pos;
  *out = std::move(r);
  return Status::kReply;
}

// A "\r\n"-terminated line starting at *pos (type byte excluded by caller).
ReplyReader::Step ReplyReader::ReadLine(size_t* pos, std::string_view* line) {
  size_t cr = buf_.find("\r\n", *pos);
  if (cr == std::string::npos) return Step::kNeedMore;
  *line = std::string_view(buf_.data() + *pos, cr - *pos);
  *pos = cr + 2;
  return Step::kOk;
}

ReplyReader::Step ReplyReader::Parse(size_t* pos, int depth, Reply* out) {
  if (depth > kMaxDepth) {
    error_ = "reply nested too deeply";
    return Step::kError;
  }
  if (*pos >= buf_.size()) return Step::kNeedMore;
  char type = buf_[(*pos)++];
  std::string_view line;
  if (Step s = ReadLine(pos, &line); s != Step::kOk) return s;

  auto bad = [&](const char* what) {
    error_ = std::string("bad ") + what + " in reply: '" + std::string(line.substr(0, 64)) + "'";
    return Step::kError;
  };
  auto length = [&](int64_t* n) { return RedisStringToInt64(line, n); };

  switch (type) {
    case '+': *out = Reply::Status(std::string(line)); return Step::kOk;
    case '-': *out = Reply::Error(std::string(line)); return Step::kOk;
    case ':': {
      int64_t v;
      if (!RedisStringToInt64(line, &v)) return bad("integer");
      *out = Reply::Integer(v);
      return Step::kOk;
    }
    case '_':
      if (!line.empty()) return bad("null");
      *out = Reply::Nil();
      return Step::kOk;
    case '#':
      if (line != "t" && line != "f") return bad("boolean");
      *out = Reply::Bool(line == "t");
      return Step::kOk;
    case ',': {
      std::string s(line);
      if (s == "inf") {
        *out = Reply::Double(HUGE_VAL);
      } else if (s == "-inf") {
        *out = Reply::Double(-HUGE_VAL);
      } else {
        char* end = nullptr;
        errno = 0;
        double d = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size()) return bad("double");
        *out = Reply::Double(d);
      }
      return Step::kOk;
    }
    case '(': *out = Reply::BigNumber(std::string(line)); return Step::kOk;
    case '$':
    case '=':
    case '!': {
      int64_t n;
      if (!length(&n) || n < -1 || n > kMaxBulk) return bad("bulk length");
      if (n == -1) {
        if (type != '$') return bad("bulk length");
        *out = Reply::Nil();
        return Step::kOk;
      }
      if (buf_.size() - *pos < static_cast<size_t>(n) + 2) return Step::kNeedMore;
      std::string body(buf_, *pos, static_cast<size_t>(n));
      if (buf_.compare(*pos + static_cast<size_t>(n), 2, "\r\n") != 0) return bad("bulk terminator");
      *pos += static_cast<size_t>(n) + 2;
      if (type == '!') {
        *out = Reply::Error(std::move(body));
      } else if (type == '=') {
        // "txt:..." / "mkd:...": a three-letter format and a colon.
        if (body.size() < 4 || body[3] != ':') return bad("verbatim string format");
        *out = Reply::Verbatim(std::string_view(body).substr(4), std::string_view(body).substr(0, 3));
      } else {
        *out = Reply::Bulk(std::move(body));
      }
      return Step::kOk;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      int64_t n;
      if (!length(&n) || n < -1 || n > kMaxElems) return bad("aggregate length");
      if (n == -1) {
        if (type != '*') return bad("aggregate length");
        *out = Reply::NilArray();
        return Step::kOk;
      }
      size_t count = static_cast<size_t>(n) * ((type == '%' || type == '|') ? 2 : 1);
      std::vector<Reply> elems;
      // Do not trust the count for allocation: it may be a lie.
      elems.reserve(std::min<size_t>(count, 1024));
      for (size_t i = 0; i < count; ++i) {
        Reply e;
        if (Step s = Parse(pos, depth + 1, &e); s != Step::kOk) return s;
        elems.push_back(std::move(e));
      }
      if (type == '|') return Parse(pos, depth + 1, out);  // attributes precede the reply
      if (type == '%') {
        *out = Reply::Map(std::move(elems));
      } else if (type == '~') {
        *out = Reply::Set(std::move(elems));
      } else {
        *out = Reply::Array(std::move(elems));
      }
      return Step::kOk;
    }
    default:
      error_ = std::string("unknown reply type byte 0x") + "0123456789abcdef"[(type >> 4) & 15] +
               "0123456789abcdef"[type & 15];
      return Step::kError;
  }
}

}  // namespace txlab
