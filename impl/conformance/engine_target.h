// The engine as a program target (model/model_program.h): one Session per
// session id, active expiry off so that expiry happens only when a program
// says so. Shared by the conformance tests.
#ifndef TXLAB_IMPL_CONFORMANCE_ENGINE_TARGET_H_
#define TXLAB_IMPL_CONFORMANCE_ENGINE_TARGET_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "impl/engine/clock.h"
#include "impl/engine/engine.h"
#include "model/keyspace_model.h"
#include "model/reply.h"

namespace txlab {

class EngineTarget {
 public:
  // kVirtual: a VirtualClock at the model's start time, moved by
  // AdvanceClock (engine vs model). kReal: the real clock, and AdvanceClock
  // does nothing (engine vs a real redis-server, whose time cannot be moved).
  enum class ClockKind { kVirtual, kReal };

  explicit EngineTarget(ClockKind kind = ClockKind::kVirtual)
      : kind_(kind), clock_(KeyspaceModel::kDefaultStartMs * 1000) {
    EngineOptions o;
    if (kind_ == ClockKind::kVirtual) o.clock = &clock_;
    o.active_expire = false;
    engine_ = std::make_unique<Engine>(o);
  }
  ~EngineTarget() {
    sessions_.clear();  // sessions before the engine
    engine_.reset();
  }
  Reply Call(int session, const std::vector<std::string>& argv) {
    auto& s = sessions_[session];
    if (!s) s = engine_->Connect();
    return s->Call(argv);
  }
  void AdvanceClock(int64_t ms) {
    if (kind_ == ClockKind::kVirtual) clock_.AdvanceMs(ms);
  }
  void ActiveExpireCycle() { engine_->ActiveExpireCycle(); }
  void Disconnect(int session) { sessions_.erase(session); }  // ~Session is a disconnect

 private:
  ClockKind kind_;
  VirtualClock clock_;
  std::unique_ptr<Engine> engine_;
  std::map<int, std::unique_ptr<Session>> sessions_;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_CONFORMANCE_ENGINE_TARGET_H_
