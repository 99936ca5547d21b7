// EngineState and SessionState: the engine's private data, shared by the core
// (engine.cc), the command files, and the scripting layer.
//
// LOCKING
//   EngineState::mu is the one engine-wide mutex. It guards every database,
//   the watch registry, and the fields of SessionState marked GUARDED_BY.
//   Session::Call holds it for one command or one whole EXEC; a script holds it
//   for its whole run (its handler runs under it, like any command).
//   Fields a session changes without the lock (its MULTI queue and flags) are
//   only ever touched by the thread that owns the Session.
//
// SCRIPTING INTERFACE (filled by impl/engine/script_commands.cc)
//   * `scripting`: per-engine scripting state (Lua VM, script cache), created
//     by AttachScripting() at Engine construction, destroyed with the engine.
//   * `script_timed_out`: set by the scripting layer (release) once the running
//     script passes options.busy_reply_threshold_ms, cleared when it ends. While
//     set, other sessions stop waiting for the lock and get BUSY (S2-S3).
//     `busy_is_function` selects the FUNCTION KILL variant of the BUSY text.
//   * `busy_hooks`: while script_timed_out is set, allow-busy commands other
//     than MULTI/DISCARD/UNWATCH/RESET/WATCH (i.e. SCRIPT KILL, FUNCTION KILL,
//     FUNCTION STATS...) are passed to busy_hooks->OnBusyCommand() from the
//     calling session's thread, WITHOUT the engine lock.
#ifndef TXLAB_IMPL_ENGINE_ENGINE_STATE_H_
#define TXLAB_IMPL_ENGINE_ENGINE_STATE_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "impl/engine/command.h"
#include "impl/engine/engine.h"
#include "impl/engine/keyspace.h"
#include "impl/engine/mutex.h"
#include "impl/engine/thread_annotations.h"
#include "model/reply.h"

namespace txlab {

// One WATCHed key of a session.
struct WatchedKey {
  int db;
  std::string key;
  // The key existed but was already logically expired when WATCHed (T22):
  // its later deletion alone does not make the session dirty.
  bool expired;
};

// The MULTI queue: each command with a copy of its arguments, all arguments
// in one buffer. EXEC clears it but keeps the capacity, so a session's
// transactions allocate nothing per queued command once warm.
class CommandQueue {
 public:
  static constexpr size_t kKeepBytes = 64 * 1024;
  struct Entry {
    const CommandSpec* cmd;
    size_t first_arg;  // index into arg_spans_
    size_t args;
  };
  void Push(const CommandSpec& cmd, std::span<const std::string_view> argv) {
    entries_.push_back({&cmd, arg_spans_.size(), argv.size()});
    for (std::string_view a : argv) {
      arg_spans_.emplace_back(bytes_.size(), a.size());
      bytes_.append(a);
    }
  }
  const std::vector<Entry>& entries() const { return entries_; }
  // The arguments of `e` as views into this queue (valid until the next Push or Clear).
  void Args(const Entry& e, std::vector<std::string_view>* out) const {
    out->clear();
    for (size_t i = e.first_arg; i < e.first_arg + e.args; ++i) {
      out->emplace_back(bytes_.data() + arg_spans_[i].first, arg_spans_[i].second);
    }
  }
  bool empty() const { return entries_.empty(); }
  // Empties the queue; keeps its buffers unless one huge transaction grew
  // them past kKeepBytes (a session does not hold that much forever).
  void Clear() {
    entries_.clear();
    arg_spans_.clear();
    bytes_.clear();
    if (bytes_.capacity() > kKeepBytes || arg_spans_.capacity() * sizeof(arg_spans_[0]) > kKeepBytes) {
      CommandQueue().swap(*this);
    }
  }
  void swap(CommandQueue& o) noexcept {
    entries_.swap(o.entries_);
    arg_spans_.swap(o.arg_spans_);
    bytes_.swap(o.bytes_);
  }

 private:
  std::vector<Entry> entries_;
  std::vector<std::pair<size_t, size_t>> arg_spans_;  // offset and length in bytes_
  std::string bytes_;
};

// One logical database.
struct Database {
  // The data. SWAPDB swaps only this part.
  Keyspace data;
  // Watch registry for this index: key -> sessions watching it. Stays with
  // the index across SWAPDB, as in Redis.
  StringMap<std::vector<SessionState*>> watchers;
};

// The scripting layer's per-engine state (it derives from this).
struct ScriptingExtension {
  virtual ~ScriptingExtension() = default;
};

// How a session reaches the scripting layer while a timed-out script holds
// the engine lock (SCRIPT KILL, FUNCTION KILL, FUNCTION STATS).
class ScriptBusyHooks {
 public:
  virtual ~ScriptBusyHooks() = default;
  // Called WITHOUT the engine lock from any session's thread while
  // script_timed_out is set, for allow-busy commands the core does not handle
  // itself. Must be thread-safe. Returns the reply for that client (e.g. +OK
  // after asking the script to stop, or UNKILLABLE, or BUSY for subcommands
  // that are not allow-busy).
  virtual Reply OnBusyCommand(std::span<const std::string_view> argv) = 0;
};

struct EngineState {
  explicit EngineState(const EngineOptions& opts);

  const EngineOptions options;
  Clock* const clock;
  const CommandTable& commands;

  Mutex mu;
  std::vector<Database> dbs GUARDED_BY(mu);

  // BLPOP/BRPOP waiters wait on key_ready with mu; pushes notify it (only
  // when someone waits, to keep the write path cheap).
  std::condition_variable_any key_ready;
  int blocked_waiters GUARDED_BY(mu) = 0;

  std::atomic<int64_t> next_client_id{1};

  // ---- scripting (see the header comment) ----
  std::atomic<bool> script_timed_out{false};
  std::atomic<bool> busy_is_function{false};
  std::atomic<ScriptBusyHooks*> busy_hooks{nullptr};
  std::unique_ptr<ScriptingExtension> scripting;

  // ---- sessions destroyed during BUSY ----
  // A Session destroyed while a timed-out script holds the lock cannot
  // remove its watches (they need the lock) and must not wait for the script
  // (its thread would be stuck, S2). Its state is parked here and reaped by
  // the next holder of the lock (ReapDisconnected in engine.cc).
  std::mutex disconnected_mu;
  std::vector<std::unique_ptr<SessionState>> disconnected;  // guarded by disconnected_mu
  std::atomic<bool> has_disconnected{false};

  // ---- active expiry thread ----
  std::thread expire_thread;
  bool stopping GUARDED_BY(mu) = false;
  std::condition_variable_any stop_cv;

  // The BUSY error for the running script kind.
  std::string_view BusyError() const {
    return busy_is_function.load(std::memory_order_relaxed) ? errors::kBusyFunction : errors::kBusyScript;
  }
};

// Per-client state. Named after Redis's client flags.
struct SessionState {
  SessionState(EngineState* e, int64_t client_id) : engine(e), id(client_id) {}

  EngineState* const engine;
  const int64_t id;

  // ---- owned by the session's thread (no lock needed) ----
  int db = 0;                  // SELECTed database
  int resp = 2;                // the client's protocol (HELLO 3, set by the server)
  bool in_multi = false;       // CLIENT_MULTI
  bool dirty_exec = false;     // CLIENT_DIRTY_EXEC: a queue-time error (T6)
  CommandQueue queue;
  std::vector<std::string_view> exec_args;  // EXEC's argument views, reused
  // UNWATCH/DISCARD/RESET ran while a script held the lock (BUSY); the
  // registry entries are removed, and dirty_cas cleared, at the next locked
  // command.
  bool pending_unwatch = false;

  // ---- written by other sessions: guarded by the engine mutex ----
  bool dirty_cas GUARDED_BY(engine->mu) = false;  // CLIENT_DIRTY_CAS (T19/T20)
  std::vector<WatchedKey> watched GUARDED_BY(engine->mu);
};

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_ENGINE_STATE_H_
