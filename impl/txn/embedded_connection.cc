#include "impl/txn/embedded_connection.h"

#include <chrono>
#include <thread>

namespace txlab {

EmbeddedConnection::EmbeddedConnection(Engine& engine)
    : clock_(engine.clock()), session_(engine.Connect()) {}

EmbeddedConnection::~EmbeddedConnection() = default;

bool EmbeddedConnection::Submit(PendingCall* call) {
  call->reply = session_->Call(call->argv);
  return true;
}

bool EmbeddedConnection::SubmitSleep(PendingSleep* sleep) {
  std::this_thread::sleep_for(std::chrono::nanoseconds(sleep->ns));
  return true;
}

}  // namespace txlab
