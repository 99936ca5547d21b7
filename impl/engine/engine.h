// Engine: txlab's embedded, Redis-compatible keyspace.
//
// CONCURRENCY CONTRACT
//   * Many client threads may use one Engine at once, each through its own
//     Session. A Session itself is not thread-safe: one thread at a time.
//   * Every command, every EXEC and every script (EVAL/EVALSHA/FCALL) is atomic:
//     it runs to completion with no other session's command interleaved, as on
//     a real single-threaded Redis. Interleaving happens only between them.
//   * The one exception mirrors Redis (SEMANTICS.md S2): while a script has run
//     past busy-reply-threshold, other sessions get BUSY (or run allow-busy
//     commands such as SCRIPT KILL) instead of waiting; the script's own
//     atomicity is unaffected.
//   * Key expiry reads the engine's Clock; its time is frozen for the duration
//     of one EXEC or one script (T14, S18).
//   * Destroying a Session is a client disconnect: its MULTI is discarded and
//     its WATCHes dropped (T10). All Sessions must be destroyed before the Engine.
#ifndef TXLAB_IMPL_ENGINE_ENGINE_H_
#define TXLAB_IMPL_ENGINE_ENGINE_H_

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "impl/engine/clock.h"
#include "model/reply.h"

namespace txlab {

struct EngineOptions {
  // Not owned; must outlive the Engine. Defaults to the real clock.
  Clock* clock = RealClock::Get();
  int databases = 16;
  // Run active expiry in a background thread (about every 100 ms, as Redis's
  // hz=10). Tests with a VirtualClock usually turn it off and call
  // Engine::ActiveExpireCycle() themselves.
  bool active_expire = true;
  // busy-reply-threshold (alias lua-time-limit), SEMANTICS.md S2.
  int64_t busy_reply_threshold_ms = 5000;
  // Memory cap of the Lua state, in bytes.
  size_t lua_memory_limit_bytes = 256u << 20;
  // Seed for math.random inside scripts (deterministic runs).
  uint64_t lua_random_seed = 0;
};

class Session;
struct CommandSpec;  // impl/engine/command.h
struct EngineState;  // private: impl/engine/engine_state.h

class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // A new client connection. Thread-safe.
  std::unique_ptr<Session> Connect();

  // One active-expiry pass over every database: deletes keys whose time has
  // passed (touching their watchers, T20). Thread-safe.
  void ActiveExpireCycle();

  // CONFIG SET busy-reply-threshold (lua-time-limit): scripts that start from
  // now on make other sessions get BUSY after `ms` (<= 0: never). Thread-safe.
  void SetBusyReplyThresholdMs(int64_t ms);

  Clock& clock() const;
  EngineState& state() { return *state_; }

 private:
  std::unique_ptr<EngineState> state_;
};

struct SessionState;  // private: impl/engine/session_state.h

class Session {
 public:
  ~Session();  // disconnect (T10)
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs one command (argv[0] is the name, case-insensitive) and returns its
  // reply: exactly what redis-server would send to this client. Never throws
  // for any input; bad input gets Redis's error reply and changes nothing.
  Reply Call(std::span<const std::string_view> argv);
  Reply Call(std::initializer_list<std::string_view> argv) {
    return Call(std::span<const std::string_view>(argv.begin(), argv.size()));
  }
  Reply Call(const std::vector<std::string>& argv);
  // The same with argv[0] already looked up (a server that needed the spec
  // anyway saves the second lookup). REQUIRES: `cmd` is
  // CommandTable::Get().Find(argv[0]).
  Reply Call(const CommandSpec& cmd, const std::vector<std::string>& argv);

  // CLIENT ID.
  int64_t id() const;
  // Whether this session is inside MULTI.
  bool in_multi() const;
  // The protocol (2 or 3) the client speaks since HELLO: replies whose RESP3
  // shape differs (ZSCORE's double, WITHSCORES pairs) follow it. The server
  // sets it; the session's own thread only.
  void set_resp(int resp);

 private:
  friend class Engine;
  explicit Session(std::unique_ptr<SessionState> s);
  Reply CallSpec(const CommandSpec* cmd, std::span<const std::string_view> argv);
  std::unique_ptr<SessionState> s_;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_ENGINE_H_
