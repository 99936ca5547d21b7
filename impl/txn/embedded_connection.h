// EmbeddedConnection: a Connection over one Session of the embedded engine.
// Every command runs synchronously on the caller's thread; sleeps block it.
#ifndef TXLAB_IMPL_TXN_EMBEDDED_CONNECTION_H_
#define TXLAB_IMPL_TXN_EMBEDDED_CONNECTION_H_

#include <memory>

#include "impl/engine/clock.h"
#include "impl/engine/engine.h"
#include "impl/txn/connection.h"
#include "impl/txn/target.h"

namespace txlab {

class EmbeddedConnection final : public Connection {
 public:
  // Opens a new Session on `engine` (not owned; must outlive this).
  explicit EmbeddedConnection(Engine& engine);
  ~EmbeddedConnection() override;

  int64_t NowNs() const override { return clock_.MonotonicNs(); }
  Session& session() { return *session_; }

 protected:
  bool Submit(PendingCall* call) override;
  bool SubmitSleep(PendingSleep* sleep) override;

 private:
  Clock& clock_;
  std::unique_ptr<Session> session_;
};

// An embedded engine as a Target (not owned; must outlive the target and
// every connection it made).
class EmbeddedTarget final : public Target {
 public:
  explicit EmbeddedTarget(Engine& engine) : engine_(engine) {}
  std::string Describe() const override { return "embedded"; }
  std::unique_ptr<Connection> Connect() override { return std::make_unique<EmbeddedConnection>(engine_); }

 private:
  Engine& engine_;
};

// A fresh embedded engine, owned by the target. Connections must be
// destroyed before the target.
class FreshEngineTarget final : public Target {
 public:
  explicit FreshEngineTarget(EngineOptions options = {}) : engine_(options), target_(engine_) {}
  std::string Describe() const override { return "embedded"; }
  std::unique_ptr<Connection> Connect() override { return target_.Connect(); }
  Engine& engine() { return engine_; }

 private:
  Engine engine_;
  EmbeddedTarget target_;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_EMBEDDED_CONNECTION_H_
