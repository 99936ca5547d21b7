#include "impl/server/resp_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace txlab {

namespace {

// "<prefix><n>\r\n"
void AppendHeader(char prefix, int64_t n, std::string* out) {
  char buf[24];
  buf[0] = prefix;
  auto res = std::to_chars(buf + 1, buf + sizeof buf - 2, n);
  *res.ptr++ = '\r';
  *res.ptr++ = '\n';
  out->append(buf, static_cast<size_t>(res.ptr - buf));
}

void AppendBulk(std::string_view s, std::string* out) {
  AppendHeader('$', static_cast<int64_t>(s.size()), out);
  out->append(s);
  out->append("\r\n", 2);
}

// A one-line text (status or error): CR and LF would end the line early.
void AppendLine(char prefix, std::string_view s, std::string* out) {
  out->push_back(prefix);
  size_t start = out->size();
  out->append(s);
  for (size_t i = start; i < out->size(); ++i) {
    if ((*out)[i] == '\r' || (*out)[i] == '\n') (*out)[i] = ' ';
  }
  out->append("\r\n", 2);
}

}  // namespace

std::string FormatRespDouble(double d) {
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (std::isnan(d)) return "nan";
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%.17g", d);
  return std::string(buf, static_cast<size_t>(n));
}

void AppendReply(const Reply& r, int resp, std::string* out) {
  switch (r.type()) {
    case Reply::Type::kStatus: AppendLine('+', r.str(), out); return;
    case Reply::Type::kError: AppendLine('-', r.str(), out); return;
    case Reply::Type::kInteger: AppendHeader(':', r.integer(), out); return;
    case Reply::Type::kBulk: AppendBulk(r.str(), out); return;
    case Reply::Type::kNil: out->append(resp == kResp3 ? "_\r\n" : "$-1\r\n"); return;
    case Reply::Type::kNilArray: out->append(resp == kResp3 ? "_\r\n" : "*-1\r\n"); return;
    case Reply::Type::kDouble:
      if (resp == kResp3) {
        AppendLine(',', FormatRespDouble(r.dbl()), out);
      } else {
        AppendBulk(FormatRespDouble(r.dbl()), out);
      }
      return;
    case Reply::Type::kBool:
      if (resp == kResp3) {
        out->append(r.integer() ? "#t\r\n" : "#f\r\n");
      } else {
        out->append(r.integer() ? ":1\r\n" : ":0\r\n");
      }
      return;
    case Reply::Type::kBigNumber:
      if (resp == kResp3) {
        AppendLine('(', r.str(), out);
      } else {
        AppendBulk(r.str(), out);
      }
      return;
    case Reply::Type::kVerbatim:
      if (resp == kResp3) {
        AppendHeader('=', static_cast<int64_t>(r.str().size()), out);
        out->append(r.str());
        out->append("\r\n");
      } else {
        AppendBulk(r.verbatim_text(), out);
      }
      return;
    case Reply::Type::kArray:
    case Reply::Type::kSet:
      AppendHeader(resp == kResp3 && r.type() == Reply::Type::kSet ? '~' : '*', static_cast<int64_t>(r.elems().size()), out);
      for (const Reply& e : r.elems()) AppendReply(e, resp, out);
      return;
    case Reply::Type::kMap:
      if (resp == kResp3) {
        AppendHeader('%', static_cast<int64_t>((r.elems().size() + 1) / 2), out);
      } else {
        AppendHeader('*', static_cast<int64_t>(r.elems().size()), out);
      }
      for (const Reply& e : r.elems()) AppendReply(e, resp, out);
      // An odd element count is a bug in the producer; pad so the stream
      // stays parseable rather than desynchronising the client.
      if (resp == kResp3 && r.elems().size() % 2 != 0) AppendReply(Reply::Nil(), resp, out);
      return;
  }
}

std::string EncodeReply(const Reply& r, int resp) {
  std::string out;
  AppendReply(r, resp, &out);
  return out;
}

void AppendCommand(std::span<const std::string_view> argv, std::string* out) {
  AppendHeader('*', static_cast<int64_t>(argv.size()), out);
  for (std::string_view a : argv) AppendBulk(a, out);
}

std::string EncodeCommand(std::initializer_list<std::string_view> argv) {
  std::string out;
  AppendCommand(std::span<const std::string_view>(argv.begin(), argv.size()), &out);
  return out;
}

}  // namespace txlab
