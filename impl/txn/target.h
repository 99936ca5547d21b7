// Target: where a runner's clients connect. One implementation per kind of
// store: the embedded engine now; a RESP/TCP target (our server, a real
// redis-server, a cluster) later. Runners and strategies see only
// Connections, so adding a target changes neither.
#ifndef TXLAB_IMPL_TXN_TARGET_H_
#define TXLAB_IMPL_TXN_TARGET_H_

#include <memory>
#include <string>

#include "impl/txn/connection.h"

namespace txlab {

class Target {
 public:
  virtual ~Target() = default;
  // "embedded", "redis://127.0.0.1:6379", ...
  virtual std::string Describe() const = 0;
  // A new client connection. Thread-safe.
  virtual std::unique_ptr<Connection> Connect() = 0;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_TARGET_H_
