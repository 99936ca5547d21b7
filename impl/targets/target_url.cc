#include "impl/targets/target_url.h"

#include <arpa/inet.h>

#include <charconv>

namespace txlab {
namespace {

bool ParseInt(std::string_view s, int64_t lo, int64_t hi, int64_t* out) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool Fail(std::string* error, std::string msg) {
  if (error) *error = std::move(msg);
  return false;
}

}  // namespace

bool ParseTargetUrl(std::string_view url, TargetUrl* out, std::string* error) {
  *out = TargetUrl();
  if (url == "embedded" || url.empty()) return true;
  std::string_view rest;
  if (url.starts_with("redis://")) {
    out->kind = TargetUrl::Kind::kRedis;
    rest = url.substr(8);
  } else if (url.starts_with("cluster://")) {
    out->kind = TargetUrl::Kind::kCluster;
    rest = url.substr(10);
  } else {
    return Fail(error, "unknown target '" + std::string(url) + "' (want embedded, redis://HOST:PORT[/DB] or cluster://HOST:PORT)");
  }
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view db;
  if (size_t s = rest.find('/'); s != std::string_view::npos) {
    db = rest.substr(s + 1);
    rest = rest.substr(0, s);
  }
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) return Fail(error, "target '" + std::string(url) + "' has no :PORT");
  std::string host(rest.substr(0, colon));
  if (host == "localhost") host = "127.0.0.1";
  in_addr addr{};
  if (inet_pton(AF_INET, host.c_str(), &addr) != 1) {
    return Fail(error, "target host '" + host + "' is not an IPv4 address or localhost");
  }
  out->host = host;
  int64_t v = 0;
  if (!ParseInt(rest.substr(colon + 1), 1, 65535, &v)) return Fail(error, "bad port in target '" + std::string(url) + "'");
  out->port = static_cast<int>(v);
  if (!db.empty()) {
    if (!ParseInt(db, 0, 1 << 20, &v)) return Fail(error, "bad database number in target '" + std::string(url) + "'");
    if (out->kind == TargetUrl::Kind::kCluster && v != 0) return Fail(error, "a cluster has only database 0");
    out->db = static_cast<int>(v);
  }
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = kv.find('=');
    std::string_view k = kv.substr(0, eq);
    std::string_view val = eq == std::string_view::npos ? std::string_view() : kv.substr(eq + 1);
    int64_t* field = k == "connect_timeout_ms" ? &out->net.connect_timeout_ms
                     : k == "timeout_ms"       ? &out->net.timeout_ms
                                               : nullptr;
    if (!field) return Fail(error, "unknown target option '" + std::string(k) + "'");
    if (!ParseInt(val, 1, 3'600'000, field)) return Fail(error, "bad value for target option '" + std::string(k) + "'");
  }
  return true;
}

}  // namespace txlab
