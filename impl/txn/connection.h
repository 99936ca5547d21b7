// Connection: how a strategy sends one Redis command and awaits its reply.
//
// Strategies see only this interface, so the same strategy code runs on the
// embedded engine from many threads, under the deterministic simulator, and
// later over RESP/TCP against our server or a real redis-server.
//
//   Reply r = co_await conn.Call({"GET", "x"});
//   co_await conn.Sleep(backoff_ns);       // backoff: virtual time in the simulator
//
// Implementations decide when a command runs:
//   * EmbeddedConnection runs it at once on its Session; Submit returns true
//     and the coroutine never suspends (await_ready is true).
//   * The simulator parks the command (Submit returns false); its scheduler
//     later runs it against the engine, fills the reply and resumes the
//     waiting coroutine on the simulator's single thread.
//   * A network connection can write, block on the socket, read, return true.
//
// Thread-safety: a Connection is used by one client (one thread) at a time.
#ifndef TXLAB_IMPL_TXN_CONNECTION_H_
#define TXLAB_IMPL_TXN_CONNECTION_H_

#include <coroutine>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/reply.h"

namespace txlab {

// One command in flight. Lives in the awaiting coroutine's frame until the
// reply is delivered, so an asynchronous connection may keep a pointer to it.
struct PendingCall {
  std::vector<std::string> argv;
  Reply reply;
  std::coroutine_handle<> waiter;  // set before the connection may resume it
};

// One sleep in flight (same lifetime rules as PendingCall).
struct PendingSleep {
  int64_t ns = 0;
  std::coroutine_handle<> waiter;
};

class Connection {
 public:
  virtual ~Connection() = default;

  class CallAwaiter {
   public:
    CallAwaiter(Connection* c, std::vector<std::string> argv) : conn_(c) {
      call_.argv = std::move(argv);
    }
    bool await_ready() {
      ++conn_->commands_;
      return conn_->Submit(&call_);
    }
    void await_suspend(std::coroutine_handle<> h) { call_.waiter = h; }
    Reply await_resume() { return std::move(call_.reply); }

   private:
    Connection* conn_;
    PendingCall call_;
  };

  class SleepAwaiter {
   public:
    SleepAwaiter(Connection* c, int64_t ns) : conn_(c) { sleep_.ns = ns; }
    bool await_ready() { return sleep_.ns <= 0 || conn_->SubmitSleep(&sleep_); }
    void await_suspend(std::coroutine_handle<> h) { sleep_.waiter = h; }
    void await_resume() {}

   private:
    Connection* conn_;
    PendingSleep sleep_;
  };

  // Sends argv (argv[0] is the command name); the awaited value is the reply.
  // Transport failures (not Redis errors) come back as an error reply whose
  // code is "IOERR"; strategies treat them as indeterminate.
  CallAwaiter Call(std::vector<std::string> argv) { return CallAwaiter(this, std::move(argv)); }
  // Waits `ns` nanoseconds of the connection's time (virtual in the simulator).
  SleepAwaiter Sleep(int64_t ns) { return SleepAwaiter(this, ns); }

  // Monotonic nanoseconds on the runner's clock (virtual in the simulator).
  virtual int64_t NowNs() const = 0;

  // True when MULTI/EXEC, WATCH and scripts are confined to one hash slot (a
  // Redis Cluster, SEMANTICS C4-C7): strategies then refuse or split txns
  // whose keys span slots (slots.h). False for one server or the engine.
  virtual bool slot_confined() const { return false; }

  // Commands sent so far through this connection.
  uint64_t commands() const { return commands_; }

 protected:
  // Starts `call`. Returns true if call->reply is already set. Otherwise the
  // implementation must later set call->reply and resume call->waiter (which
  // is set by then) on the thread that drives this connection's coroutines.
  virtual bool Submit(PendingCall* call) = 0;
  // As Submit, for a sleep of sleep->ns > 0 nanoseconds.
  virtual bool SubmitSleep(PendingSleep* sleep) = 0;

 private:
  uint64_t commands_ = 0;
};

// Builds an argv: Cmd("SET", key, value). Prefer it to a braced list of
// string literals inside co_await, which GCC 12 miscompiles ("array used as
// initializer" when the temporaries are spilled to the coroutine frame).
template <typename... A>
std::vector<std::string> Cmd(A&&... a) {
  std::vector<std::string> v;
  v.reserve(sizeof...(A));
  (v.emplace_back(std::forward<A>(a)), ...);
  return v;
}

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_CONNECTION_H_
