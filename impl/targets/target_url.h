// Target URLs: what `--target` names.
//
//   embedded                          a fresh in-process engine (the default)
//   redis://HOST:PORT[/DB][?OPTS]     one redis-server (or `txlab serve`)
//   cluster://HOST:PORT[?OPTS]        a Redis Cluster, discovered from one node
//
// HOST is an IPv4 literal or "localhost" (= 127.0.0.1). OPTS are `&`-joined
// `connect_timeout_ms=N` and `timeout_ms=N` (per command: send + reply).
#ifndef TXLAB_IMPL_TARGETS_TARGET_URL_H_
#define TXLAB_IMPL_TARGETS_TARGET_URL_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace txlab {

// Socket timeouts of a network connection.
struct NetOptions {
  int64_t connect_timeout_ms = 2000;
  // A command whose reply has not fully arrived within this is abandoned:
  // the connection is closed and the command replies IOERR.
  int64_t timeout_ms = 10000;
};

struct TargetUrl {
  enum class Kind { kEmbedded, kRedis, kCluster };
  Kind kind = Kind::kEmbedded;
  std::string host;  // dotted IPv4
  int port = 0;
  int db = 0;  // redis:// only; a cluster has only db 0
  NetOptions net;
};

// Parses `url`. On failure returns false and says why in *error.
bool ParseTargetUrl(std::string_view url, TargetUrl* out, std::string* error);

}  // namespace txlab

#endif  // TXLAB_IMPL_TARGETS_TARGET_URL_H_
