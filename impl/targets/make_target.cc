#include "impl/targets/make_target.h"

#include <stdexcept>

#include "impl/targets/cluster_connection.h"
#include "impl/targets/resp_connection.h"
#include "impl/targets/target_url.h"
#include "impl/txn/embedded_connection.h"

namespace txlab {
namespace {

// Makes the target, flushing it if `flush`. nullptr and *error on failure.
std::unique_ptr<Target> Build(const TargetUrl& u, bool flush, std::string* error) {
  switch (u.kind) {
    case TargetUrl::Kind::kEmbedded:
      return std::make_unique<FreshEngineTarget>();
    case TargetUrl::Kind::kRedis: {
      auto t = std::make_unique<RedisTarget>(u.host, u.port, u.db, u.net);
      if (!t->Ping(error)) return nullptr;
      if (flush && !t->FlushAll(error)) return nullptr;
      return t;
    }
    case TargetUrl::Kind::kCluster: {
      auto t = std::make_unique<ClusterTarget>(NodeAddr{u.host, u.port}, u.net);
      if (!t->Discover(error)) return nullptr;
      if (flush && !t->FlushAll(error)) return nullptr;
      return t;
    }
  }
  return nullptr;
}

}  // namespace

std::unique_ptr<Target> MakeTarget(std::string_view url, std::string* error) {
  TargetUrl u;
  if (!ParseTargetUrl(url, &u, error)) return nullptr;
  return Build(u, false, error);
}

TargetFactory TargetFactoryFor(std::string_view url, std::string* error) {
  if (error) error->clear();
  TargetUrl u;
  std::string why;
  if (!ParseTargetUrl(url, &u, &why) || (u.kind != TargetUrl::Kind::kEmbedded && !Build(u, false, &why))) {
    if (error) *error = why.empty() ? "bad target" : why;
    return nullptr;
  }
  if (u.kind == TargetUrl::Kind::kEmbedded) return nullptr;
  return [u](const RunConfig&) -> std::unique_ptr<Target> {
    std::string e;
    std::unique_ptr<Target> t = Build(u, true, &e);
    if (!t) throw std::runtime_error("target: " + e);
    return t;
  };
}

}  // namespace txlab
