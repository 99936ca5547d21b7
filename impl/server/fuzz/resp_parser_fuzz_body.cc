#include "impl/server/fuzz/resp_parser_fuzz_body.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "impl/server/resp_parser.h"
#include "impl/server/resp_reply_reader.h"
#include "impl/server/resp_writer.h"

namespace txlab {

namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "resp fuzz property violated: %s\n", what);
    std::abort();
  }
}

// Small limits so the fuzzer reaches every limit check with short inputs.
RespLimits FuzzLimits() {
  RespLimits l;
  l.max_bulk_len = 300;
  l.max_multibulk_len = 50;
  l.max_inline_len = 200;
  l.unauth_max_multibulk_len = 3;
  l.unauth_max_bulk_len = 20;
  return l;
}

// Split points: a deterministic function of the input (xorshift seeded by a
// hash of the bytes), so a crash reproduces from the input alone.
std::vector<size_t> Chunks(std::string_view in, int variant) {
  std::vector<size_t> sizes;
  if (variant == 0) {
    sizes.push_back(in.size());
    return sizes;
  }
  if (variant == 1 && in.size() <= 4096) {
    sizes.assign(in.size(), 1);
    return sizes;
  }
  uint64_t x = 0x9e3779b97f4a7c15ULL ^ in.size() ^ static_cast<uint64_t>(variant) << 32;
  for (unsigned char c : in) x = (x ^ c) * 0x100000001b3ULL;
  size_t left = in.size();
  while (left > 0) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    size_t n = 1 + x % 64;
    if (n > left) n = left;
    sizes.push_back(n);
    left -= n;
  }
  return sizes;
}

struct RequestOutcome {
  std::vector<std::vector<std::string>> commands;
  std::string error;
  bool operator==(const RequestOutcome&) const = default;
};

RequestOutcome RunParser(std::string_view in, int variant, bool auth_required) {
  RespLimits limits = FuzzLimits();
  RequestParser p(limits);
  p.set_auth_required(auth_required);
  RequestOutcome out;
  std::vector<std::string> argv;
  size_t off = 0;
  for (size_t n : Chunks(in, variant)) {
    p.Feed(in.substr(off, n));
    off += n;
    while (true) {
      auto s = p.Next(&argv);
      if (s == RequestParser::Status::kCommand) {
        Require(!argv.empty(), "empty command");
        // Inline requests are bounded by the line limit, multibulk ones by theirs.
        size_t max_args = std::max<size_t>(limits.max_multibulk_len, limits.max_inline_len);
        size_t max_arg = std::max<size_t>(limits.max_bulk_len, limits.max_inline_len);
        Require(argv.size() <= max_args, "too many arguments");
        for (const auto& a : argv) Require(a.size() <= max_arg, "argument too long");
        out.commands.push_back(argv);
        continue;
      }
      if (s == RequestParser::Status::kError) {
        Require(!p.error().empty(), "error without text");
        Require(p.error().find_first_of("\r\n") == std::string::npos, "newline in error");
        out.error = p.error();
      }
      break;
    }
    if (!out.error.empty()) break;
  }
  return out;
}

void CheckRequests(std::string_view in, bool auth_required) {
  RequestOutcome whole = RunParser(in, 0, auth_required);
  for (int variant = 1; variant <= 3; ++variant) {
    Require(RunParser(in, variant, auth_required) == whole, "outcome depends on how input is split");
  }
  // Re-encode what was parsed; it must parse back to the same commands.
  std::string again;
  for (const auto& cmd : whole.commands) {
    std::vector<std::string_view> views(cmd.begin(), cmd.end());
    AppendCommand(views, &again);
  }
  RequestParser p;  // default (large) limits: inline commands may exceed the small ones
  p.Feed(again);
  std::vector<std::string> argv;
  for (const auto& cmd : whole.commands) {
    Require(p.Next(&argv) == RequestParser::Status::kCommand, "re-encoded command does not parse");
    Require(argv == cmd, "re-encoded command differs");
  }
  Require(p.Next(&argv) == RequestParser::Status::kNeedMore, "re-encoding has extra bytes");
}

struct ReplyOutcome {
  std::vector<std::string> encoded;  // each reply re-encoded as RESP3
  bool error = false;
  bool operator==(const ReplyOutcome&) const = default;
};

ReplyOutcome RunReader(std::string_view in, int variant) {
  ReplyReader r;
  ReplyOutcome out;
  size_t off = 0;
  Reply reply;
  for (size_t n : Chunks(in, variant)) {
    r.Feed(in.substr(off, n));
    off += n;
    while (true) {
      auto s = r.Next(&reply);
      if (s == ReplyReader::Status::kReply) {
        out.encoded.push_back(EncodeReply(reply, kResp3));
        continue;
      }
      if (s == ReplyReader::Status::kError) out.error = true;
      break;
    }
    if (out.error) break;
  }
  return out;
}

void CheckReplies(std::string_view in) {
  // Byte-at-a-time re-parses a pending reply from its start: keep it short.
  if (in.size() > 2048) in = in.substr(0, 2048);
  ReplyOutcome whole = RunReader(in, 0);
  Require(RunReader(in, 1) == whole && RunReader(in, 2) == whole, "reply outcome depends on split");
  for (const std::string& enc : whole.encoded) {
    ReplyReader r;
    r.Feed(enc);
    Reply back;
    Require(r.Next(&back) == ReplyReader::Status::kReply, "re-encoded reply does not read back");
    Require(EncodeReply(back, kResp3) == enc, "re-encoded reply differs");
  }
}

}  // namespace

void FuzzRespInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  CheckRequests(in, false);
  CheckRequests(in, true);
  CheckReplies(in);
}

}  // namespace txlab
