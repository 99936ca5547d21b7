// Task<T>: the coroutine type every strategy and client loop is written in.
//
// A Task is lazy: creating it runs nothing. It starts when it is co_awaited
// by another Task, or when its owner calls Start() (the root of a client).
//
// Why not plain symmetric transfer: with a synchronous connection (embedded
// engine, blocking socket) no coroutine ever really suspends, and a loop that
// awaits thousands of child tasks would, without guaranteed tail calls (GCC
// at -O0, sanitizers), nest one stack frame per await. So a child started by
// co_await runs inline (a nested resume()); if it finishes inline, the parent
// just continues (await_suspend returns false) and the stack stays flat. Only
// when the child truly suspends (the simulator parks a command) does the
// parent suspend too; the child's completion then resumes the parent.
//
// Thread-safety: a Task is driven by one thread at a time (the thread that
// resumes it); nothing here is synchronised.
#ifndef TXLAB_IMPL_TXN_TASK_H_
#define TXLAB_IMPL_TXN_TASK_H_

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace txlab {

template <typename T>
class Task;

namespace task_internal {

struct PromiseBase {
  std::coroutine_handle<> continuation = nullptr;
  // True while the awaiting parent is inside its inline resume() of us.
  bool running_inline = false;
  std::exception_ptr exception;

  std::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <typename P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      PromiseBase& p = h.promise();
      // Inline: return to the parent's await_suspend, which sees done().
      if (p.running_inline || !p.continuation) return std::noop_coroutine();
      return p.continuation;
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { exception = std::current_exception(); }
};

template <typename T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object() noexcept;
  template <typename U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  T Take() {
    if (exception) std::rethrow_exception(exception);
    return std::move(*value);
  }
};

template <>
struct Promise<void> : PromiseBase {
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void Take() {
    if (exception) std::rethrow_exception(exception);
  }
};

}  // namespace task_internal

template <typename T = void>
class [[nodiscard]] Task {
 public:
  using promise_type = task_internal::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle h) : h_(h) {}
  Task(Task&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Task& operator=(Task&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  // Destroying a suspended task destroys its whole chain of awaited children
  // (their Task objects live in its frame): this is how a client "crashes".
  ~Task() {
    if (h_) h_.destroy();
  }

  // ---- awaiting from another coroutine ----
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> parent) {
    auto& p = h_.promise();
    p.continuation = parent;
    p.running_inline = true;
    h_.resume();
    p.running_inline = false;
    return !h_.done();  // finished inline: parent continues without suspending
  }
  T await_resume() { return h_.promise().Take(); }

  // ---- driving a root task ----
  // Runs until the task first suspends or completes. REQUIRES: not started.
  void Start() { h_.resume(); }
  bool done() const { return !h_ || h_.done(); }
  // REQUIRES: done(). Rethrows an exception that escaped the coroutine.
  T Result() { return h_.promise().Take(); }
  bool valid() const { return static_cast<bool>(h_); }

 private:
  Handle h_ = nullptr;
};

namespace task_internal {
template <typename T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}
}  // namespace task_internal

// Runs a task that completes synchronously (every await ready, as over an
// embedded or blocking connection) and returns its result.
// REQUIRES: nothing the task awaits ever really suspends.
template <typename T>
T RunSync(Task<T> t) {
  t.Start();
  return t.Result();
}

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_TASK_H_
