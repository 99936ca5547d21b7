#include "impl/lua/lua_scripting.h"

#include <strings.h>
#include <time.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include "impl/lua/conversion.h"
#include "impl/lua/redis_api.h"
#include "impl/lua/script_flags.h"
#include "impl/lua/sha1.h"

namespace txlab {
namespace {

// ---- small parsing helpers --------------------------------------------------

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// Redis's string2ll: optional '-', no '+', no leading zeros, no blanks.
bool ParseLongLong(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    i = 1;
    if (s.size() == 1) return false;
  }
  if (s.size() == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  if (s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (negative) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

Reply WrongArity(std::string_view command) {
  return Reply::Error("ERR wrong number of arguments for '" + Lower(command) + "' command");
}

Reply UnknownSubcommand(std::string_view sub, std::string_view container) {
  std::string upper(container);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return Reply::Error("ERR unknown subcommand '" + SingleLine(sub.substr(0, 128)) + "'. Try " + upper + " HELP.");
}

Reply NoScript() { return Reply::Error("NOSCRIPT No matching script. Please use EVAL."); }

// Redis's stringmatchlen (glob), case-insensitive when nocase.
bool GlobMatch(std::string_view p, std::string_view s, bool nocase) {
  auto lower = [nocase](char c) {
    return nocase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
  };
  size_t pi = 0, si = 0;
  while (pi < p.size()) {
    switch (p[pi]) {
      case '*':
        while (pi + 1 < p.size() && p[pi + 1] == '*') ++pi;
        if (pi + 1 == p.size()) return true;
        for (size_t k = si; k <= s.size(); ++k) {
          if (GlobMatch(p.substr(pi + 1), s.substr(k), nocase)) return true;
        }
        return false;
      case '?':
        if (si >= s.size()) return false;
        ++si;
        break;
      case '[': {
        if (si >= s.size()) return false;
        ++pi;
        bool negate = pi < p.size() && p[pi] == '^';
        if (negate) ++pi;
        bool match = false;
        while (pi < p.size() && p[pi] != ']') {
          if (p[pi] == '\\' && pi + 1 < p.size()) {
            ++pi;
            if (lower(p[pi]) == lower(s[si])) match = true;
          } else if (pi + 2 < p.size() && p[pi + 1] == '-') {
            char a = lower(p[pi]), b = lower(p[pi + 2]), c = lower(s[si]);
            if (a > b) std::swap(a, b);
            if (c >= a && c <= b) match = true;
            pi += 2;
          } else if (lower(p[pi]) == lower(s[si])) {
            match = true;
          }
          ++pi;
        }
        if (negate) match = !match;
        if (!match) return false;
        ++si;
        break;
      }
      case '\\':
        if (pi + 1 < p.size()) ++pi;
        [[fallthrough]];
      default:
        if (si >= s.size() || lower(p[pi]) != lower(s[si])) return false;
        ++si;
        break;
    }
    ++pi;
  }
  return si == s.size();
}

int64_t MonotonicNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// FUNCTION LOAD's watchdog: library code should only register functions.
void LoadHook(lua_State* L, lua_Debug*) {
  LibraryLoad* load = GetStateExtra(L)->load;
  if (load != nullptr && MonotonicNs() > load->deadline_ns) {
    lua_sethook(L, LoadHook, LUA_MASKLINE, 0);
    PushErrorTable(L, "FUNCTION LOAD timeout");
    lua_error(L);
  }
}

constexpr char kKilledMessage[] = "ERR Script killed by user with SCRIPT KILL...";

}  // namespace

// ---- lifecycle ----------------------------------------------------------------

LuaScripting::LuaScripting(LuaScriptingOptions options)
    : options_(options), monitor_(options.time_limit_mode, options.busy_reply_threshold_ms) {
  alloc_.limit = options_.memory_limit_bytes;
  extra_.monitor = &monitor_;
  extra_.rand48 = options_.random_seed == 0 ? 0x1234ABCD330Eull : Rand48Seed(options_.random_seed);
  extra_.max_reply_bytes = std::max<size_t>(options_.memory_limit_bytes, 1u << 20);
  L_ = NewSandboxedState(&alloc_, &extra_, &refs_);
}

LuaScripting::~LuaScripting() { lua_close(L_); }

// ---- running ------------------------------------------------------------------

void LuaScripting::UseGlobals(GlobalsKind kind) {
  if (kind == globals_) return;
  lua_rawgeti(L_, LUA_REGISTRYINDEX, kind == GlobalsKind::kEval ? refs_.eval_env : refs_.function_env);
  lua_rawseti(L_, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  globals_ = kind;
}

void LuaScripting::PushStringArray(std::span<const std::string_view> items) {
  lua_createtable(L_, static_cast<int>(items.size()), 0);
  for (size_t i = 0; i < items.size(); ++i) {
    lua_pushlstring(L_, items[i].data(), items[i].size());
    lua_rawseti(L_, -2, static_cast<lua_Integer>(i + 1));
  }
}

Reply LuaScripting::Run(int ref, RunContext& ctx, std::string_view name, std::span<const std::string_view> keys,
                        std::span<const std::string_view> args, bool eval_mode) {
  lua_State* L = L_;
  const int base = lua_gettop(L);
  lua_pushcfunction(L, ScriptErrorHandler);
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
  int nargs = 0;
  if (eval_mode) {
    // KEYS and ARGV are globals of the eval environment, fresh per call.
    lua_rawgeti(L, LUA_REGISTRYINDEX, refs_.eval_api);
    lua_pushliteral(L, "KEYS");
    PushStringArray(keys);
    lua_rawset(L, -3);
    lua_pushliteral(L, "ARGV");
    PushStringArray(args);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    UseGlobals(GlobalsKind::kEval);
  } else {
    PushStringArray(keys);
    PushStringArray(args);
    nargs = 2;
    UseGlobals(GlobalsKind::kFunction);
  }

  extra_.run = &ctx;
  alloc_.enforce = true;
  monitor_.Begin(L, ctx.is_function);
  int status = lua_pcall(L, nargs, 1, base + 1);
  bool killed = monitor_.Killed();
  monitor_.End(L);
  alloc_.enforce = false;
  extra_.run = nullptr;

  Reply reply;
  if (status != LUA_OK) {
    reply = ErrorReplyFromLua(-1, name);
  } else if (killed) {
    // Killed after its last instruction: it did not write (S5), so reporting
    // the kill is consistent with the +OK the killer got.
    reply = Reply::Error(std::string(kKilledMessage) + " script: " + std::string(name));
  } else {
    reply = LuaToReply(L, -1, ctx.resp, extra_.max_reply_bytes);
  }
  lua_settop(L, base);
  AfterRun(status);
  return reply;
}

void LuaScripting::AfterRun(int status) {
  // A script may have stopped the collector (collectgarbage("stop")); the
  // state outlives it, so restart it. After running out of memory, collect
  // now so the next script starts with room.
  if (!lua_gc(L_, LUA_GCISRUNNING)) lua_gc(L_, LUA_GCRESTART);
  if (status == LUA_ERRMEM) lua_gc(L_, LUA_GCCOLLECT);
}

Reply LuaScripting::ErrorReplyFromLua(int index, std::string_view name) {
  int idx = lua_absindex(L_, index);
  if (!lua_istable(L_, idx)) {
    // Not a table: the error handler did not run (out of memory) or failed.
    std::string msg = "execution failure";
    if (lua_type(L_, idx) == LUA_TSTRING) msg = lua_tostring(L_, idx);
    if (msg.size() > 100) msg.resize(100);
    return Reply::Error(SingleLine("ERR Error running script " + std::string(name) + ", " + msg));
  }
  std::string msg = ErrorObjectMessage(L_, idx);
  lua_getfield(L_, idx, "source");
  lua_getfield(L_, idx, "line");
  if (lua_isstring(L_, -1) && lua_isstring(L_, -2)) {
    msg += " script: ";
    msg += name;
    msg += ", on ";
    msg += lua_tostring(L_, -2);
    msg += ':';
    msg += lua_tostring(L_, -1);
    msg += '.';
  }
  lua_pop(L_, 2);
  return Reply::Error(SingleLine(msg));
}

// ---- EVAL and the script cache ----------------------------------------------------

const LuaScripting::CachedScript* LuaScripting::CreateScript(std::string_view body, const std::string& sha,
                                                             Reply* error) {
  auto it = scripts_.find(sha);
  if (it != scripts_.end()) return &it->second;
  std::string err;
  std::optional<EvalShebang> shebang = ParseEvalShebang(body, &err);
  if (!shebang) {
    *error = Reply::Error("ERR " + SingleLine(err));
    return nullptr;
  }
  std::string_view code = body.substr(shebang->code_offset);
  alloc_.enforce = true;
  int status = luaL_loadbufferx(L_, code.data(), code.size(), "@user_script", "t");
  alloc_.enforce = false;
  if (status != LUA_OK) {
    const char* msg = lua_tostring(L_, -1);
    *error = Reply::Error(SingleLine(std::string("ERR Error compiling script (new function): ") + (msg ? msg : "?")));
    lua_pop(L_, 1);
    if (status == LUA_ERRMEM) lua_gc(L_, LUA_GCCOLLECT);
    return nullptr;
  }
  // The chunk's only upvalue is _ENV: the eval environment.
  lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.eval_env);
  if (lua_setupvalue(L_, -2, 1) == nullptr) lua_pop(L_, 1);
  CachedScript script;
  script.ref = luaL_ref(L_, LUA_REGISTRYINDEX);
  script.flags = shebang->flags;
  return &scripts_.emplace(sha, script).first->second;
}

Reply LuaScripting::Eval(std::span<const std::string_view> argv, ScriptHost& host) {
  if (argv.size() < 3) return WrongArity(argv.empty() ? "eval" : argv[0]);
  if (extra_.run != nullptr || extra_.load != nullptr) {
    return Reply::Error("ERR This Redis command is not allowed from script");
  }
  std::string_view command = argv[0];
  bool evalsha = command.size() >= 7 && strncasecmp(command.data(), "evalsha", 7) == 0;
  bool ro = command.size() >= 3 && strncasecmp(command.data() + command.size() - 3, "_ro", 3) == 0;

  // evalShaCommand: a sha of the wrong length is NOSCRIPT before numkeys is
  // looked at (a 40-character unknown sha gets the numkeys errors first).
  if (evalsha && argv[1].size() != 40) return NoScript();
  int64_t numkeys;
  if (!ParseLongLong(argv[2], &numkeys)) return Reply::Error("ERR value is not an integer or out of range");
  if (numkeys > static_cast<int64_t>(argv.size()) - 3) {
    return Reply::Error("ERR Number of keys can't be greater than number of args");
  }
  if (numkeys < 0) return Reply::Error("ERR Number of keys can't be negative");

  const CachedScript* script = nullptr;
  char sha_buf[40];
  std::string_view sha;
  std::string sha_storage;
  try {
    if (evalsha) {
      if (!NormalizeSha(argv[1], sha_buf)) return NoScript();
      sha = std::string_view(sha_buf, 40);
      auto it = scripts_.find(sha);
      if (it == scripts_.end()) return NoScript();
      script = &it->second;
    } else {
      sha_storage = Sha1Hex(argv[1]);
      sha = sha_storage;
      Reply error;
      script = CreateScript(argv[1], sha_storage, &error);
      if (script == nullptr) return error;
    }
  } catch (const std::exception& e) {
    return Reply::Error(std::string("ERR ") + e.what());
  }

  // scriptPrepareForRun: a script with a shebang declares whether it writes.
  bool compat = (script->flags & kScriptFlagEvalCompatMode) != 0;
  bool no_writes = !compat && (script->flags & kScriptFlagNoWrites);
  if (!compat && !no_writes && ro) {
    return Reply::Error("ERR Can not execute a script with write flag using *_ro command.");
  }
  RunContext ctx;
  ctx.host = &host;
  ctx.read_only = ro || no_writes;
  ctx.is_function = false;
  size_t nk = static_cast<size_t>(numkeys);
  return Run(script->ref, ctx, sha, argv.subspan(3, nk), argv.subspan(3 + nk), /*eval_mode=*/true);
}

std::optional<uint32_t> LuaScripting::ScriptFlagsOf(std::string_view sha) const {
  char buf[40];
  if (!NormalizeSha(sha, buf)) return std::nullopt;
  auto it = scripts_.find(std::string_view(buf, 40));
  if (it == scripts_.end()) return std::nullopt;
  return it->second.flags;
}

void LuaScripting::FlushScripts() {
  for (auto& [sha, script] : scripts_) luaL_unref(L_, LUA_REGISTRYINDEX, script.ref);
  scripts_.clear();
  lua_gc(L_, LUA_GCCOLLECT);
}

Reply LuaScripting::Script(std::span<const std::string_view> argv) {
  if (argv.size() < 2) return WrongArity("script");
  std::string sub = Lower(argv[1]);
  if (sub == "kill") {
    if (argv.size() != 2) return WrongArity("script|kill");
    return KillScript(false);
  }
  if (extra_.run != nullptr) return Reply::Error("ERR This Redis command is not allowed from script");
  try {
    if (sub == "load") {
      if (argv.size() != 3) return WrongArity("script|load");
      std::string sha = Sha1Hex(argv[2]);
      Reply error;
      if (CreateScript(argv[2], sha, &error) == nullptr) return error;
      return Reply::Bulk(std::move(sha));
    }
    if (sub == "exists") {
      if (argv.size() < 3) return WrongArity("script|exists");
      std::vector<Reply> out;
      out.reserve(argv.size() - 2);
      for (size_t i = 2; i < argv.size(); ++i) {
        char buf[40];
        bool found = NormalizeSha(argv[i], buf) && scripts_.count(std::string_view(buf, 40)) > 0;
        out.push_back(Reply::Integer(found ? 1 : 0));
      }
      return Reply::Array(std::move(out));
    }
    if (sub == "flush") {
      if (argv.size() > 3 || (argv.size() == 3 && !EqualsIgnoreCase(argv[2], "sync") &&
                              !EqualsIgnoreCase(argv[2], "async"))) {
        return Reply::Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
      }
      FlushScripts();  // ASYNC is done synchronously: nothing else to free
      return Reply::Ok();
    }
    if (sub == "help") {
      std::vector<Reply> lines;
      for (const char* line :
           {"SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", "EXISTS <sha1> [<sha1> ...]",
            "    Return information about the existence of the scripts in the script cache.", "FLUSH [ASYNC|SYNC]",
            "    Flush the Lua scripts cache.", "KILL", "    Kill the currently executing Lua script.",
            "LOAD <script>", "    Load a script into the scripts cache without executing it.", "HELP",
            "    Print this help."}) {
        lines.push_back(Reply::Status(line));
      }
      return Reply::Array(std::move(lines));
    }
  } catch (const std::exception& e) {
    return Reply::Error(std::string("ERR ") + e.what());
  }
  return UnknownSubcommand(argv[1], "script");
}

// ---- kill and busy ------------------------------------------------------------

Reply LuaScripting::KillScript(bool function_kill) {
  switch (monitor_.Kill(function_kill)) {
    case RunMonitor::KillOutcome::kKilled:
      return Reply::Ok();
    case RunMonitor::KillOutcome::kNotBusy:
      return Reply::Error("NOTBUSY No scripts in execution right now.");
    case RunMonitor::KillOutcome::kUnkillable:
      return Reply::Error(
          "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait "
          "the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
    case RunMonitor::KillOutcome::kBusyFunction:
      return Reply::Error("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
    case RunMonitor::KillOutcome::kBusyEval:
      return Reply::Error("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
  }
  return Reply::Error("ERR unreachable");
}

Reply LuaScripting::BusyError() const {
  if (monitor_.RunningFunction()) {
    return Reply::Error("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
  }
  return Reply::Error("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
}

// ---- functions ----------------------------------------------------------------

Reply LuaScripting::FCall(std::span<const std::string_view> argv, ScriptHost& host) {
  if (argv.size() < 3) return WrongArity(argv.empty() ? "fcall" : argv[0]);
  if (extra_.run != nullptr || extra_.load != nullptr) {
    return Reply::Error("ERR This Redis command is not allowed from script");
  }
  bool ro = EqualsIgnoreCase(argv[0], "fcall_ro");
  auto it = functions_.find(Lower(argv[1]));
  if (it == functions_.end()) return Reply::Error("ERR Function not found");
  const FunctionInfo& fn = it->second.first->functions[it->second.second];
  int64_t numkeys;
  if (!ParseLongLong(argv[2], &numkeys)) return Reply::Error("ERR Bad number of keys provided");
  if (numkeys > static_cast<int64_t>(argv.size()) - 3) {
    return Reply::Error("ERR Number of keys can't be greater than number of args");
  }
  if (numkeys < 0) return Reply::Error("ERR Number of keys can't be negative");
  bool no_writes = (fn.flags & kScriptFlagNoWrites) != 0;
  if (!no_writes && ro) return Reply::Error("ERR Can not execute a script with write flag using *_ro command.");
  RunContext ctx;
  ctx.host = &host;
  ctx.read_only = ro || no_writes;
  ctx.is_function = true;
  size_t nk = static_cast<size_t>(numkeys);
  std::string name = fn.name;  // the library may not change while it runs, but keep the reply independent
  return Run(fn.ref, ctx, name, argv.subspan(3, nk), argv.subspan(3 + nk), /*eval_mode=*/false);
}

void LuaScripting::UnlinkLibrary(Library* lib) {
  for (const FunctionInfo& fn : lib->functions) {
    functions_.erase(Lower(fn.name));
    luaL_unref(L_, LUA_REGISTRYINDEX, fn.ref);
  }
}

void LuaScripting::FlushFunctions() {
  for (auto& [name, lib] : libraries_) UnlinkLibrary(lib.get());
  libraries_.clear();
  functions_.clear();
  lua_gc(L_, LUA_GCCOLLECT);
}

Reply LuaScripting::FunctionLoad(std::span<const std::string_view> argv) {
  bool replace = false;
  size_t pos = 2;
  while (pos + 1 < argv.size()) {
    std::string_view opt = argv[pos++];
    if (EqualsIgnoreCase(opt, "replace")) {
      replace = true;
      continue;
    }
    return Reply::Error("ERR Unknown option given: " + SingleLine(opt));
  }
  if (pos >= argv.size()) return Reply::Error("ERR Function code is missing");
  std::string_view code = argv[pos];

  std::string err;
  std::optional<LibraryMetadata> md = ParseLibraryMetadata(code, &err);
  if (!md) return Reply::Error("ERR " + SingleLine(err));
  if (!IsValidFunctionName(md->name)) {
    return Reply::Error(
        "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character "
        "long");
  }
  if (!EqualsIgnoreCase(md->engine, "lua")) return Reply::Error("ERR Engine '" + SingleLine(md->engine) + "' not found");
  auto old = libraries_.find(md->name);
  if (old != libraries_.end() && !replace) return Reply::Error("ERR Library '" + md->name + "' already exists");

  std::string_view lua_code = code.substr(md->code_offset);
  alloc_.enforce = true;
  int status = luaL_loadbufferx(L_, lua_code.data(), lua_code.size(), "@user_function", "t");
  if (status != LUA_OK) {
    alloc_.enforce = false;
    std::string msg = lua_tostring(L_, -1) ? lua_tostring(L_, -1) : "?";
    lua_pop(L_, 1);
    return Reply::Error(SingleLine("ERR Error compiling function: " + msg));
  }
  lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.function_env);
  if (lua_setupvalue(L_, -2, 1) == nullptr) lua_pop(L_, 1);

  // Run the library code against the load API (only redis.register_function,
  // redis.log), then point the function environment back at the runtime API.
  auto set_function_env_index = [this](int api_ref) {
    lua_rawgeti(L_, LUA_REGISTRYINDEX, refs_.function_env_meta);
    lua_rawgeti(L_, LUA_REGISTRYINDEX, api_ref);
    lua_setfield(L_, -2, "__index");
    lua_pop(L_, 1);
  };
  set_function_env_index(refs_.load_api);
  UseGlobals(GlobalsKind::kFunction);
  LibraryLoad load;
  load.deadline_ns = MonotonicNs() + options_.function_load_timeout_ms * 1000000;
  extra_.load = &load;
  lua_sethook(L_, LoadHook, LUA_MASKCOUNT, 100000);
  status = lua_pcall(L_, 0, 0, 0);
  lua_sethook(L_, nullptr, 0, 0);
  extra_.load = nullptr;
  alloc_.enforce = false;
  set_function_env_index(refs_.function_api);

  auto release = [this, &load] {
    for (const PendingFunction& f : load.functions) luaL_unref(L_, LUA_REGISTRYINDEX, f.ref);
  };
  if (status != LUA_OK) {
    std::string msg = ErrorObjectMessage(L_, -1);
    lua_pop(L_, 1);
    release();
    AfterRun(status);
    return Reply::Error(SingleLine("ERR Error registering functions: " + msg));
  }
  if (load.functions.empty()) return Reply::Error("ERR No functions registered");
  Library* old_lib = old != libraries_.end() ? old->second.get() : nullptr;
  for (const PendingFunction& f : load.functions) {
    auto it = functions_.find(Lower(f.name));
    if (it != functions_.end() && it->second.first != old_lib) {
      release();
      return Reply::Error("ERR Function " + f.name + " already exists");
    }
  }
  if (old_lib != nullptr) {
    UnlinkLibrary(old_lib);
    libraries_.erase(old);
  }
  auto lib = std::make_unique<Library>();
  lib->name = md->name;
  lib->code = std::string(code);
  for (PendingFunction& f : load.functions) {
    FunctionInfo info;
    info.name = std::move(f.name);
    info.ref = f.ref;
    info.flags = f.flags;
    info.description = std::move(f.description);
    lib->functions.push_back(std::move(info));
  }
  for (size_t i = 0; i < lib->functions.size(); ++i) functions_[Lower(lib->functions[i].name)] = {lib.get(), i};
  std::string name = lib->name;
  libraries_.emplace(name, std::move(lib));
  return Reply::Bulk(std::move(name));
}

Reply LuaScripting::FunctionList(std::span<const std::string_view> argv) {
  bool with_code = false;
  std::optional<std::string_view> pattern;
  for (size_t i = 2; i < argv.size(); ++i) {
    if (!with_code && EqualsIgnoreCase(argv[i], "withcode")) {
      with_code = true;
      continue;
    }
    if (!pattern && EqualsIgnoreCase(argv[i], "libraryname")) {
      if (i + 1 >= argv.size()) return Reply::Error("ERR library name argument was not given");
      pattern = argv[++i];
      continue;
    }
    return Reply::Error("ERR Unknown argument " + SingleLine(argv[i]));
  }
  std::vector<Reply> libs;
  for (const auto& [name, lib] : libraries_) {
    if (pattern && !GlobMatch(*pattern, name, /*nocase=*/true)) continue;
    std::vector<Reply> fns;
    // Redis lists a dict in hash order; we use name order (deterministic).
    std::vector<const FunctionInfo*> sorted;
    for (const FunctionInfo& fn : lib->functions) sorted.push_back(&fn);
    std::sort(sorted.begin(), sorted.end(), [](const FunctionInfo* a, const FunctionInfo* b) { return a->name < b->name; });
    for (const FunctionInfo* fnp : sorted) {
      const FunctionInfo& fn = *fnp;
      std::vector<Reply> flags;
      for (std::string& f : ScriptFlagNames(fn.flags)) flags.push_back(Reply::Status(std::move(f)));
      fns.push_back(Reply::Map({Reply::Bulk("name"), Reply::Bulk(fn.name), Reply::Bulk("description"),
                                fn.description ? Reply::Bulk(*fn.description) : Reply::Nil(), Reply::Bulk("flags"),
                                Reply::Array(std::move(flags))}));
    }
    std::vector<Reply> entry = {Reply::Bulk("library_name"), Reply::Bulk(name),   Reply::Bulk("engine"),
                                Reply::Bulk("LUA"),          Reply::Bulk("functions"), Reply::Array(std::move(fns))};
    if (with_code) {
      entry.push_back(Reply::Bulk("library_code"));
      entry.push_back(Reply::Bulk(lib->code));
    }
    libs.push_back(Reply::Map(std::move(entry)));
  }
  return Reply::Array(std::move(libs));
}

Reply LuaScripting::Function(std::span<const std::string_view> argv) {
  if (argv.size() < 2) return WrongArity("function");
  std::string sub = Lower(argv[1]);
  if (sub == "kill") {
    if (argv.size() != 2) return WrongArity("function|kill");
    return KillScript(true);
  }
  if (extra_.run != nullptr || extra_.load != nullptr) {
    return Reply::Error("ERR This Redis command is not allowed from script");
  }
  try {
    if (sub == "load") {
      if (argv.size() < 3) return WrongArity("function|load");
      return FunctionLoad(argv);
    }
    if (sub == "list") return FunctionList(argv);
    if (sub == "delete") {
      if (argv.size() != 3) return WrongArity("function|delete");
      auto it = libraries_.find(std::string(argv[2]));
      if (it == libraries_.end()) return Reply::Error("ERR Library not found");
      UnlinkLibrary(it->second.get());
      libraries_.erase(it);
      return Reply::Ok();
    }
    if (sub == "flush") {
      if (argv.size() > 3) return WrongArity("function|flush");
      if (argv.size() == 3 && !EqualsIgnoreCase(argv[2], "sync") && !EqualsIgnoreCase(argv[2], "async")) {
        return Reply::Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
      }
      FlushFunctions();
      return Reply::Ok();
    }
    if (sub == "stats") {
      if (argv.size() != 2) return WrongArity("function|stats");
      // Reached only under the lock, so no script is running (a running one
      // is reported through BUSY by the engine).
      return Reply::Map({Reply::Bulk("running_script"), Reply::Nil(), Reply::Bulk("engines"),
                         Reply::Map({Reply::Bulk("LUA"),
                                     Reply::Map({Reply::Bulk("libraries_count"),
                                                 Reply::Integer(static_cast<int64_t>(libraries_.size())),
                                                 Reply::Bulk("functions_count"),
                                                 Reply::Integer(static_cast<int64_t>(functions_.size()))})})});
    }
    if (sub == "help") {
      std::vector<Reply> lines;
      for (const char* line : {"FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                               "LOAD [REPLACE] <FUNCTION CODE>", "DELETE <LIBRARY NAME>",
                               "LIST [LIBRARYNAME PATTERN] [WITHCODE]", "STATS", "KILL", "FLUSH [ASYNC|SYNC]", "HELP"}) {
        lines.push_back(Reply::Status(line));
      }
      return Reply::Array(std::move(lines));
    }
  } catch (const std::exception& e) {
    return Reply::Error(std::string("ERR ") + e.what());
  }
  return UnknownSubcommand(argv[1], "function");
}

}  // namespace txlab
