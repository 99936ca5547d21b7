// Engine and Session: connection handling, the lock protocol (including the
// BUSY path of SEMANTICS.md S2-S3), MULTI queueing, and active expiry.
#include "impl/engine/engine.h"

#include <chrono>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "impl/engine/db.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/multi.h"
#include "impl/engine/script_commands.h"
#include "impl/engine/watch.h"

namespace txlab {

namespace {

// How long a session waits for the engine lock between checks of the
// "script timed out" flag.
constexpr auto kBusyPollInterval = std::chrono::milliseconds(2);
// Active expiry period (Redis hz = 10).
constexpr auto kActiveExpirePeriod = std::chrono::milliseconds(100);

}  // namespace

// ---- EngineState / ExecContext -----------------------------------------

EngineState::EngineState(const EngineOptions& opts)
    : options(opts), clock(opts.clock != nullptr ? opts.clock : RealClock::Get()), commands(CommandTable::Get()) {
  MutexLock l(&mu);
  dbs.resize(opts.databases > 0 ? static_cast<size_t>(opts.databases) : 1);
}

int64_t ExecContext::NowMs() {
  if (now_ms == kNotRead) now_ms = engine.clock->NowMs();
  return now_ms;
}

Database& ExecContext::Db() {
  engine.mu.AssertHeld();
  return engine.dbs[static_cast<size_t>(db)];
}

Keyspace& ExecContext::Data() { return Db().data; }

// Handlers do not throw; the catch is the last line of defence (allocation
// failure on a huge reply) so that the engine lock is always released and
// the client gets an error instead of a crash.
Reply Dispatch(ExecContext& ctx, const CommandSpec& cmd, Args argv) {
  try {
    return cmd.handler(ctx, argv);
  } catch (const std::bad_alloc&) {
    return ErrorReply("OOM command not allowed when used memory > 'maxmemory'.");
  } catch (const std::exception& e) {
    return Reply::Error(std::string("ERR ") + e.what());
  }
}

Reply ExecuteFromScript(ExecContext& ctx, Args argv) {
  if (argv.empty()) return ErrorReply("ERR Please specify at least one argument for this redis lib call");
  const CommandSpec* cmd = ctx.engine.commands.Find(argv[0]);
  if (cmd == nullptr) return ErrorReply("ERR Unknown Redis command called from script");
  if (!cmd->ArityOk(argv.size())) return ErrorReply("ERR Wrong number of args calling Redis command from script");
  if (cmd->Has(kCmdNoScript)) return ErrorReply("ERR This Redis command is not allowed from script");
  if (cmd->Has(kCmdWrite)) ctx.script_wrote = true;
  bool was_in_script = ctx.in_script;
  ctx.in_script = true;
  Reply r = Dispatch(ctx, *cmd, argv);
  ctx.in_script = was_in_script;
  return r;
}

// ---- Engine -------------------------------------------------------------------

namespace {

// Finishes the disconnects parked during BUSY: their watches go now.
void ReapDisconnected(EngineState& e) REQUIRES(e.mu) {
  if (!e.has_disconnected.load(std::memory_order_acquire)) return;
  std::vector<std::unique_ptr<SessionState>> gone;
  {
    std::lock_guard<std::mutex> l(e.disconnected_mu);
    gone.swap(e.disconnected);
    e.has_disconnected.store(false, std::memory_order_relaxed);
  }
  for (auto& s : gone) UnwatchAllKeys(*s);
}

void ActiveExpireLoop(EngineState* e) {
  MutexLock l(&e->mu);
  while (!e->stopping) {
    e->stop_cv.wait_for(e->mu, kActiveExpirePeriod);
    if (e->stopping) break;
    ReapDisconnected(*e);
    ExecContext ctx(*e, nullptr, 0);
    ActiveExpireAll(ctx);
  }
}

}  // namespace

Engine::Engine(EngineOptions options) : state_(std::make_unique<EngineState>(options)) {
  AttachScripting(*state_);
  if (options.active_expire) state_->expire_thread = std::thread(ActiveExpireLoop, state_.get());
}

Engine::~Engine() {
  if (state_->expire_thread.joinable()) {
    {
      MutexLock l(&state_->mu);
      state_->stopping = true;
    }
    state_->stop_cv.notify_all();
    state_->expire_thread.join();
  }
  MutexLock l(&state_->mu);
  ReapDisconnected(*state_);
}

std::unique_ptr<Session> Engine::Connect() {
  int64_t id = state_->next_client_id.fetch_add(1, std::memory_order_relaxed);
  return std::unique_ptr<Session>(new Session(std::make_unique<SessionState>(state_.get(), id)));
}

void Engine::ActiveExpireCycle() {
  MutexLock l(&state_->mu);
  ReapDisconnected(*state_);
  ExecContext ctx(*state_, nullptr, 0);
  ActiveExpireAll(ctx);
}

void Engine::SetBusyReplyThresholdMs(int64_t ms) {
  SetBusyReplyThreshold(*state_, ms);
}

Clock& Engine::clock() const { return *state_->clock; }

// ---- Session ------------------------------------------------------------------

Session::Session(std::unique_ptr<SessionState> s) : s_(std::move(s)) {}

Session::~Session() NO_THREAD_SAFETY_ANALYSIS {
  // Disconnect: the MULTI queue is dropped (no lock needed), the watches
  // removed (T10). While a timed-out script holds the lock, waiting for it
  // would stall the caller (a server thread) until the script ends: the
  // state is parked instead, and its watches go with the next lock holder.
  // Until then a parked session's watches are harmless: nobody EXECs them.
  EngineState& e = *s_->engine;
  DiscardQueue(*s_);
  if (!e.mu.TryLock()) {
    while (true) {
      if (e.script_timed_out.load(std::memory_order_acquire)) {
        std::lock_guard<std::mutex> l(e.disconnected_mu);
        e.disconnected.push_back(std::move(s_));
        e.has_disconnected.store(true, std::memory_order_release);
        return;
      }
      if (e.mu.TryLockFor(kBusyPollInterval)) break;
    }
  }
  UnwatchAllKeys(*s_);
  ReapDisconnected(e);
  e.mu.Unlock();
}

int64_t Session::id() const { return s_->id; }
bool Session::in_multi() const { return s_->in_multi; }
void Session::set_resp(int resp) { s_->resp = resp; }

namespace {

// While a script is timed out: answers `cmd` without the engine lock if it
// may run during BUSY, or with the BUSY error. Returns false to keep waiting
// for the lock (WATCH outside MULTI).
bool AnswerWhileBusy(EngineState& e, SessionState& s, const CommandSpec& cmd, Args argv, Reply* reply) {
  std::string_view busy = e.BusyError();
  if (AnswerSessionCommandWhileBusy(s, cmd, busy, reply)) return true;
  if (cmd.name == "watch") return false;
  if (cmd.Has(kCmdAllowBusy)) {
    if (ScriptBusyHooks* hooks = e.busy_hooks.load(std::memory_order_acquire)) {
      *reply = hooks->OnBusyCommand(argv);
      return true;
    }
  }
  *reply = ErrorReply(busy);
  return true;
}

// Takes the engine lock; while a timed-out script holds it, may instead
// answer the command (returns false with *reply set, lock not held).
bool AcquireOrAnswerBusy(EngineState& e, SessionState& s, const CommandSpec& cmd, Args argv, Reply* reply)
    TRY_ACQUIRE(true, e.mu) NO_THREAD_SAFETY_ANALYSIS {
  if (e.mu.TryLock()) return true;  // fast path
  while (true) {
    if (e.script_timed_out.load(std::memory_order_acquire) && AnswerWhileBusy(e, s, cmd, argv, reply)) return false;
    if (e.mu.TryLockFor(kBusyPollInterval)) return true;
  }
}

// Queues a command inside MULTI (T1, T6, S3). No lock needed.
Reply Queue(SessionState& s, const CommandSpec& cmd, Args argv) {
  if (cmd.Has(kCmdNoMulti)) {
    FlagTransaction(s);
    return ErrorReply("ERR Command not allowed inside a transaction");
  }
  EngineState& e = *s.engine;
  if (!cmd.Has(kCmdAllowBusy) && e.script_timed_out.load(std::memory_order_acquire)) {
    FlagTransaction(s);
    return ErrorReply(e.BusyError());
  }
  s.queue.Push(cmd, argv);
  return Reply::Queued();
}

}  // namespace

Reply Session::Call(std::span<const std::string_view> argv) {
  if (argv.empty()) return ErrorReply("ERR empty command");
  return CallSpec(s_->engine->commands.Find(argv[0]), argv);
}

Reply Session::CallSpec(const CommandSpec* cmd, std::span<const std::string_view> argv) {
  SessionState& s = *s_;
  EngineState& e = *s.engine;
  // processCommand's checks, before queueing (T6).
  if (cmd == nullptr) {
    FlagTransaction(s);
    return UnknownCommandError(argv);
  }
  if (!cmd->ArityOk(argv.size())) {
    FlagTransaction(s);
    Reply err = ArityError(cmd->name);
    if (cmd->name != "exec") return err;
    // rejectCommand() on EXEC is execCommandAbort(): the transaction is
    // discarded, watches dropped, in MULTI or not (verified on 7.0.15).
    DiscardQueue(s);
    s.pending_unwatch = true;  // UnwatchAllKeys needs the lock: done on the next call
    std::string_view text = err.str();
    text.remove_prefix(text.find(' ') + 1);  // "ERR wrong number ..." -> "wrong number ..."
    return ErrorReply("EXECABORT Transaction discarded because of: " + std::string(text));
  }
  if (s.in_multi && !cmd->Has(kCmdNoQueue)) return Queue(s, *cmd, argv);

  Reply reply;
  if (!AcquireOrAnswerBusy(e, s, *cmd, argv, &reply)) return reply;
  ReapDisconnected(e);
  if (s.pending_unwatch) {
    s.pending_unwatch = false;
    UnwatchAllKeys(s);
  }
  ExecContext ctx(e, &s, s.db);
  ctx.resp = s.resp;
  reply = Dispatch(ctx, *cmd, argv);
  s.db = ctx.db;
  e.mu.Unlock();
  return reply;
}

namespace {

// Calls fn(span) with string_views of `argv` (on the stack when short).
template <typename Fn>
Reply WithViews(const std::vector<std::string>& argv, Fn fn) {
  constexpr size_t kInline = 16;
  if (argv.size() <= kInline) {
    std::string_view views[kInline];
    for (size_t i = 0; i < argv.size(); ++i) views[i] = argv[i];
    return fn(std::span<const std::string_view>(views, argv.size()));
  }
  std::vector<std::string_view> views(argv.begin(), argv.end());
  return fn(std::span<const std::string_view>(views));
}

}  // namespace

Reply Session::Call(const std::vector<std::string>& argv) {
  return WithViews(argv, [this](std::span<const std::string_view> v) { return Call(v); });
}

Reply Session::Call(const CommandSpec& cmd, const std::vector<std::string>& argv) {
  return WithViews(argv, [this, &cmd](std::span<const std::string_view> v) { return CallSpec(&cmd, v); });
}

}  // namespace txlab
