// The engine held to the reference model: RapidCheck stateful tests.
//
// Each case is a random program (model/model_gen.h): commands from several
// interleaved sessions — MULTI/EXEC/WATCH among them, with queue-time and
// run-time errors — and virtual-clock advances that expire keys, plus (most
// properties) EVAL / EVALSHA / SCRIPT LOAD of generated small scripts
// (script_gen.h: redis.call / redis.pcall reads and writes, errors raised and
// caught, 17 return forms), inside and outside MULTI, from every session.
// Every op runs on the engine (on a VirtualClock, active expiry off) and on
// the model (diff::ModelSide: KeyspaceModel, with diff::EvalOnModel predicting
// Redis 7.0's reply to a script); every reply must match (after
// model/reply_order.h canonicalisation: unordered replies sorted, RESP3
// shapes flattened; a script's error up to its " script: <sha>, on
// @user_script:<line>." suffix; a documented Lua 5.4 vs 5.1 difference of
// lua_exclusions.h only in exactly its shape), and at the end so must the
// whole keyspace, read back through commands (program::DumpState). Scripts
// run with time frozen (S18) on both sides; the clock moves between ops.
//
// On failure RapidCheck shrinks to a minimal program, prints it (one op per
// line, "s<session>: ARGV" / "clock +Nms" / "active-expire") and prints
//     RC_PARAMS="reproduce=..."
// Re-run with that environment variable to replay the minimal case directly:
//     RC_PARAMS="reproduce=..." ./conformance_engine_model_test
// A seed also replays the whole search: RC_PARAMS="seed=1234". More cases:
// RC_PARAMS="max_success=5000 max_size=300".
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <memory>
#include <sstream>

#include "impl/conformance/diff_script.h"
#include "impl/conformance/engine_target.h"
#include "impl/conformance/lua_exclusions.h"
#include "impl/conformance/model_side.h"
#include "impl/conformance/script_gen.h"
#include "model/keyspace_model.h"
#include "model/model_gen.h"
#include "model/model_program.h"
#include "model/reply_order.h"

namespace txlab {
namespace {

using program::Op;

using Argv = std::vector<std::string>;
using diff::ModelSide;

// The system under test, plus the model as it stands after the last op that
// ran (rc::state hands run() the state *before* the op).
struct Sut {
  EngineTarget engine;
  ModelSide model;
};

// Which program generator the running property uses.
program::GenConfig& CurrentConfig() {
  static program::GenConfig config;
  return config;
}
// The share of ops (percent) that are scripts: EVAL / EVALSHA / SCRIPT LOAD.
int& ScriptPercent() {
  static int percent = 0;
  return percent;
}

// What the running property compared, printed when it ends (a passing run
// only: the counts of a failing one include its shrinking).
struct Counts {
  int64_t programs = 0, commands = 0, scripts = 0, evals = 0, evalshas = 0, evalsha_cached = 0, loads = 0,
          exists_flush = 0, read_only = 0, scripts_queued = 0, execs_with_scripts = 0;
  std::map<std::string, int64_t> excluded;  // lua_exclusions.h id -> replies
};
Counts& Stats() {
  static Counts counts;
  return counts;
}

// The model's reply and the engine's, canonicalised for comparison. EXEC's
// slots are canonicalised per queued command.
std::string Describe(const Reply& r) { return r.ToString() + " [type " + std::to_string(int(r.type())) + "]"; }

// ---------------------------------------------------------------------------
// Known engine divergences
// ---------------------------------------------------------------------------
// Engine bugs found by this test, where the model follows Redis 7.0 (checked
// against redis-server 7.0.15). impl/engine belongs to another engineer; until
// a fix lands, a reply that differs in exactly one of these ways is tolerated
// (and reported once on stderr) so the suite stays usable for finding the
// next divergence. Set TXLAB_CONFORMANCE_STRICT=1 to make them fail again.
// Only reply-text divergences that leave the keyspace identical belong here.
struct KnownDivergence {
  const char* id;
  const char* command;       // lower-case command name
  const char* model_reply;   // Redis 7.0's reply, as Reply::ToString(); null: any
  const char* engine_reply;  // what the engine answers instead
};

// None open at the moment. Fixed in the engine since this test found them:
//   pop-count-text (c463acc): LPOP/RPOP key <non-integer count> must answer
//     "ERR value is out of range, must be positive"
//     (getPositiveLongFromObjectOrReply with that message).
const std::vector<KnownDivergence> kKnownDivergences = {};

// TXLAB_CONFORMANCE_STRICT=1 (or "all") checks every known divergence again;
// a comma-separated list of ids checks just those.
bool Strict(const std::string& id) {
  const char* v = std::getenv("TXLAB_CONFORMANCE_STRICT");
  if (!v || !*v || std::string(v) == "0") return false;
  std::string list = std::string(",") + v + ",";
  return list == ",1," || list == ",all," || list.find("," + id + ",") != std::string::npos;
}

// Known engine divergences that change state, so they cannot be tolerated
// reply by reply: commands that trigger them are not generated (unless
// TXLAB_CONFORMANCE_STRICT is set). None open at the moment. Fixed since this
// test found them: exec-arity ("EXEC x" is execCommandAbort: EXECABORT and the
// transaction discarded) and lindex-parse-order (LINDEX looks the key up
// before parsing the index).
bool KeepForEngine(const std::vector<std::string>& argv) { return true; }

std::string LowerName(const std::vector<std::string>& argv) {
  std::string n = argv.empty() ? "" : argv[0];
  for (char& ch : n) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return n;
}

bool IsBylex(const std::vector<std::string>& argv) {
  if (LowerName(argv) != "zrange" || argv.size() < 2) return false;
  for (const auto& a : argv) {
    std::string opt = a;
    for (char& ch : opt) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (opt == "bylex") return true;
  }
  return false;
}

// Whether the engine's reply `g` differs from the model's `w` only by known
// divergences.
bool Tolerated(const std::vector<std::string>& argv, const Reply& w, const Reply& g) {
  if (w == g) return true;
  for (const auto& d : kKnownDivergences) {
    if (Strict(d.id)) continue;
    if (LowerName(argv) == d.command && (!d.model_reply || w.ToString() == d.model_reply) &&
        g.ToString() == d.engine_reply) {
      static std::set<std::string> reported;
      if (reported.insert(d.id).second)
        std::fprintf(stderr, "note: tolerating known engine divergence '%s' (%s)\n", d.id, d.command);
      return true;
    }
  }
  return false;
}

// ZRANGE ... BYLEX on a sorted set whose scores are not all equal: Redis
// documents the result as unspecified ("the returned elements are
// unspecified" when scores differ). Real 7.0 walks its (score, member) order
// and the model does the same, but an engine may legitimately differ, so such
// replies are not compared. (The engine did differ at c463acc: ZADD z -1 1
// -inf o; ZRANGE z (m - BYLEX REV → Redis 7.0.15 and the model: empty; the
// engine: ["1"].)
bool UnspecifiedLexRange(const KeyspaceModel& before, const program::Step& step) {
  if (!IsBylex(step.argv)) return false;
  KeyspaceModel probe = before;  // reads on a copy: the real model is untouched
  probe.Call(program::kDumpSession, {"SELECT", std::to_string(before.SelectedDb(step.session))});
  Reply all = probe.Call(program::kDumpSession, {"ZRANGE", step.argv[1], "0", "-1", "WITHSCORES"});
  if (all.type() != Reply::Type::kArray) return false;
  for (size_t i = 3; i < all.elems().size(); i += 2) {
    if (all.elems()[i].str() != all.elems()[1].str()) return true;
  }
  return false;
}

bool IsScript(const Argv& argv) { return diff::IsEval(argv) || ModelSide::IsScriptCommand(argv); }

// The generated script an EVAL / EVALSHA / SCRIPT LOAD runs, if known.
const diff::Script* ScriptOfCommand(const Argv& argv) {
  if (ModelSide::IsScriptCommand(argv))
    return argv.size() == 3 && diff::UpperCopy(argv[1]) == "LOAD" ? diff::Registry().Find(argv[2]) : nullptr;
  return diff::ScriptOf(argv);
}

// A script's reply: the model's prediction of Redis 7.0's (an error up to its
// " script: " suffix), or the engine's Lua 5.4 reply differing from it
// exactly as one entry of lua_exclusions.h says (counted).
bool ScriptAgrees(const Argv& argv, const Reply& want, const Reply& got) {
  if (diff::ScriptReplyMatches(want, got)) return true;
  const diff::Script* s = ScriptOfCommand(argv);
  const diff::LuaExclusion* e = s ? diff::ExplainedByPrediction(*s, want, got) : nullptr;
  if (e) ++Stats().excluded[e->id];
  return e != nullptr;
}

bool StepAgrees(const Argv& argv, const Reply& w, const Reply& g) {
  return IsScript(argv) ? ScriptAgrees(argv, w, g) : Tolerated(argv, w, g);
}

bool ExecAgrees(const std::vector<Argv>& queued, const Reply& w, const Reply& g) {
  if (w == g) return true;
  if (w.type() != Reply::Type::kArray || g.type() != Reply::Type::kArray || w.elems().size() != queued.size() ||
      g.elems().size() != queued.size())
    return false;
  for (size_t i = 0; i < queued.size(); ++i) {
    // Inside EXEC the set's scores at that moment are not at hand, so any
    // BYLEX slot is given the benefit of UnspecifiedLexRange's doubt.
    if (IsBylex(queued[i])) continue;
    if (!StepAgrees(queued[i], w.elems()[i], g.elems()[i])) return false;
  }
  return true;
}

// One op on the model; the reply of a Step (nothing: not predicted).
std::optional<Reply> ApplyToModel(ModelSide& m, const Op& op) {
  if (const auto* s = std::get_if<program::Step>(&op)) return m.Step(s->session, s->argv);
  if (const auto* a = std::get_if<program::AdvanceClock>(&op)) m.AdvanceClock(a->ms);
  else if (const auto* d = std::get_if<program::Disconnect>(&op)) m.Disconnect(d->session);
  else m.ActiveExpireCycle();
  return std::nullopt;
}

// A script op (ScriptPercent of the ops): an EVAL / EVALSHA (script_gen.h's
// GenEval: mostly EVAL, some EVALSHA of the script's own sha or of an unknown
// one, bad numkeys; 65%), a SCRIPT LOAD (15%), an EVALSHA of a script the
// engine has cached (the model's cache says which; 15%), or a SCRIPT EXISTS
// or FLUSH (5%). Choices are made at the nominal size
// 100, so they are uniform whatever the program's size.
Op GenScriptOp(const ModelSide& state) {
  return *rc::gen::resize(100, rc::gen::exec([&state]() -> Op {
    const program::GenConfig& config = CurrentConfig();
    program::Step step;
    step.session = *rc::gen::inRange(0, config.sessions);
    const int kind = *rc::gen::inRange(0, 20);
    if (kind == 19) {
      step.argv = diff::GenScriptExistsOrFlush(state.loaded_scripts());
    } else if (kind >= 16 && !state.loaded_scripts().empty()) {
      step.argv = diff::GenEvalshaOfLoaded(config, state.loaded_scripts());
    } else if (kind >= 13) {
      step.argv = diff::GenScriptLoad(config);
    } else {
      step.argv = diff::GenEval(config);
    }
    return step;
  }));
}

Op GenEngineOp(const ModelSide& state) {
  const int percent = ScriptPercent();
  if (percent > 0 && *rc::gen::resize(100, rc::gen::inRange(0, 100)) >= 100 - percent)  // shrinks away from scripts
    return GenScriptOp(state);
  return *program::GenOp(CurrentConfig());
}

void Count(const ModelSide& before, const program::Step& step, bool exec, const std::vector<Argv>& queued) {
  Counts& c = Stats();
  ++c.commands;
  if (IsScript(step.argv)) {
    ++c.scripts;
    if (ModelSide::IsScriptCommand(step.argv)) ++(diff::UpperCopy(step.argv[1]) == "LOAD" ? c.loads : c.exists_flush);
    else if (diff::UpperCopy(step.argv[0]).rfind("EVALSHA", 0) != 0) ++c.evals;
    else {
      ++c.evalshas;
      std::string sha = step.argv[1];
      for (char& ch : sha) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (before.loaded_scripts().count(sha)) ++c.evalsha_cached;
    }
    if (before.InMulti(step.session)) ++c.scripts_queued;
    const std::string name = diff::UpperCopy(step.argv[0]);
    if (name == "EVAL_RO" || name == "EVALSHA_RO") ++c.read_only;
  }
  if (exec) {
    for (const Argv& q : queued)
      if (IsScript(q)) {
        ++c.execs_with_scripts;
        break;
      }
  }
}

struct ApplyOp : rc::state::Command<ModelSide, Sut> {
  Op op;

  explicit ApplyOp(const ModelSide& state) : op(GenEngineOp(state)) {}

  void apply(ModelSide& model) const override { ApplyToModel(model, op); }

  void run(const ModelSide& before, Sut& sut) const override {
    ModelSide after = before;
    const auto* step = std::get_if<program::Step>(&op);
    std::vector<Argv> queued;
    bool exec = false;
    if (step) {
      exec = diff::UpperCopy(step->argv[0]) == "EXEC" && after.InMulti(step->session);
      if (exec) queued = after.Queued(step->session);
    }
    std::optional<Reply> want = ApplyToModel(after, op);
    std::optional<Reply> got = program::Apply(sut.engine, op);
    sut.model = std::move(after);
    if (!step) return;
    Count(before, *step, exec, queued);
    if (!want) RC_FAIL(program::ToString(op) + "\n    the model predicts no reply; engine: " + Describe(*got));
    Reply w = exec ? CanonicalExecReply(queued, *want) : CanonicalReply(step->argv, *want);
    Reply g = exec ? CanonicalExecReply(queued, *got) : CanonicalReply(step->argv, *got);
    if (!exec && w != g && UnspecifiedLexRange(before.model(), *step)) return;
    if (exec ? !ExecAgrees(queued, w, g) : !StepAgrees(step->argv, w, g)) {
      RC_FAIL(program::ToString(op) + "\n    model (Redis 7.0): " + Describe(w) + "\n    engine:            " +
              Describe(g));
    }
  }

  // One line per op; an EVALSHA also names the script its sha stands for.
  void show(std::ostream& os) const override {
    os << program::ToString(op);
    const auto* step = std::get_if<program::Step>(&op);
    if (step && diff::IsEval(step->argv) && diff::UpperCopy(step->argv[0]).rfind("EVALSHA", 0) == 0) {
      if (const diff::Script* s = diff::ScriptOf(step->argv)) {
        std::string body = diff::Render(*s);
        for (size_t at = body.find('\n'); at != std::string::npos; at = body.find('\n', at + 2)) body.replace(at, 1, "\\n");
        os << "    # sha1 of \"" << body << "\"";
      }
    }
  }
};

// Runs one generated program against engine and model, then compares the
// final keyspaces.
void CheckProgram(program::GenConfig config, int script_percent = 0) {
  config.keep = KeepForEngine;
  CurrentConfig() = config;
  ScriptPercent() = script_percent;
  ++Stats().programs;
  ModelSide initial;
  Sut sut;
  rc::state::check(initial, sut, rc::state::gen::execOneOfWithArgs<ApplyOp>());
  const int dbs = initial.model().databases();
  auto want = program::DumpState(sut.model.model(), dbs);
  auto got = program::DumpState(sut.engine, dbs);
  for (size_t i = 0; i < std::min(want.size(), got.size()); ++i) {
    if (want[i] != got[i]) {
      RC_FAIL("final state differs at '" + want[i].first + "' (engine: '" + got[i].first +
              "')\n    model (Redis 7.0): " + Describe(want[i].second) + "\n    engine:            " +
              Describe(got[i].second));
    }
  }
  RC_ASSERT(want.size() == got.size());
}

// Prints what a passing property compared, then starts the next count.
class CountsPrinter : public ::testing::EmptyTestEventListener {
  void OnTestStart(const ::testing::TestInfo&) override { Stats() = Counts{}; }
  void OnTestEnd(const ::testing::TestInfo& info) override {
    const Counts& c = Stats();
    if (!info.result()->Passed() || c.commands == 0) return;
    std::string ex;
    for (const auto& [id, n] : c.excluded) ex += (ex.empty() ? "" : ", ") + id + " " + std::to_string(n);
    std::fprintf(stderr,
                 "%s.%s: %lld programs, %lld commands; scripts %lld (%.1f%%): EVAL %lld, EVALSHA %lld (%lld cached; "
                 "_RO of either %lld), "
                 "SCRIPT LOAD %lld, SCRIPT EXISTS/FLUSH %lld; %lld queued in MULTI, %lld EXECs ran scripts; "
                 "Lua 5.4 exclusions: %s\n",
                 info.test_suite_name(), info.name(), (long long)c.programs, (long long)c.commands,
                 (long long)c.scripts, 100.0 * c.scripts / c.commands, (long long)c.evals, (long long)c.evalshas,
                 (long long)c.evalsha_cached, (long long)c.read_only, (long long)c.loads, (long long)c.exists_flush, (long long)c.scripts_queued,
                 (long long)c.execs_with_scripts, ex.empty() ? "none" : ex.c_str());
  }
};
const bool kCountsPrinter = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new CountsPrinter);
  return true;
}();

// Default run size: 300 programs of up to ~200 ops per property (about
// two seconds in all). RC_PARAMS, when set, wins.
const bool kDefaultParams = [] {
  setenv("RC_PARAMS", "max_success=300 max_size=200", /*overwrite=*/0);
  return true;
}();

// The default mix: 3 sessions, 7 keys shared by all types, 3 databases.
RC_GTEST_PROP(EngineVsModel, DefaultMix, ()) { CheckProgram(program::GenConfig{}, /*script_percent=*/10); }

// Heavy contention: 4 sessions on 2 keys in 1 database, so WATCHed keys are
// touched (or not) by the other sessions all the time.
RC_GTEST_PROP(EngineVsModel, ContendedWatch, ()) {
  program::GenConfig c;
  c.sessions = 4;
  c.keys = {"a", "b"};
  c.databases = 1;
  CheckProgram(c, /*script_percent=*/10);
}

// Expiry-heavy: few keys, every db switch within two databases, lots of
// clock moves relative to the (default) TTLs.
RC_GTEST_PROP(EngineVsModel, ExpiryAndDatabases, ()) {
  program::GenConfig c;
  c.keys = {"a", "b", "c"};
  c.databases = 2;
  c.clock_percent = 15;
  CheckProgram(c, /*script_percent=*/10);
}

// Scripts among transactions (S1, S7, S8, S9, T16): a third of the ops are
// EVAL / EVALSHA / SCRIPT LOAD, from 3 sessions on 3 keys in 1 database with
// MULTI, EXEC and WATCH three times as frequent as by default, so scripts are
// queued in MULTI and run by EXEC, write keys other sessions WATCH, and fail
// half-way (no rollback) next to transactions.
RC_GTEST_PROP(EngineVsModel, ScriptsInTransactions, ()) {
  program::GenConfig c;
  c.keys = {"a", "b", "h"};
  c.databases = 1;
  c.clock_percent = 3;
  c.weights = {{"MULTI", 24}, {"EXEC", 36}, {"WATCH", 24}};
  CheckProgram(c, /*script_percent=*/33);
}

// T20/T21 at close range: WATCH, MULTI, EXEC and writes that often change
// nothing (SADD of a present member, SREM/HDEL/ZREM/LREM/DEL of absent ones,
// PERSIST without TTL, SETNX on an existing key, ZADD of the same score),
// which must not touch watchers, next to writes that must.
RC_GTEST_PROP(EngineVsModel, NoOpWritesUnderWatch, ()) {
  program::GenConfig c;
  c.keys = {"a", "b"};
  c.databases = 1;
  c.clock_percent = 3;
  c.only_weighted = true;
  c.weights = {{"WATCH", 12}, {"MULTI", 10}, {"EXEC", 14}, {"UNWATCH", 1}, {"DISCARD", 1},
               {"SADD", 12},  {"SREM", 6},   {"HSET", 4},  {"HDEL", 4},   {"ZADD", 8},
               {"ZREM", 4},   {"LPUSH", 3},  {"LREM", 3},  {"DEL", 3},    {"PERSIST", 3},
               {"EXPIRE", 3}, {"PEXPIRE", 3}, {"SETNX", 4}, {"SET", 3},    {"GET", 2},
               {"SMEMBERS", 2}, {"FLUSHDB", 1}, {"SWAPDB", 1}, {"RENAME", 2},
               // SMOVE of an absent member or onto its own set; *STORE of
               // an empty result into a missing key (no touch, T21).
               {"SMOVE", 4}, {"SINTERSTORE", 2}, {"SDIFFSTORE", 2}, {"SUNIONSTORE", 1},
               // ZPOPMIN/ZPOPMAX of a missing key or with count 0 (T21).
               {"ZPOPMIN", 3}, {"ZPOPMAX", 2},
               // LINSERT without its pivot (no touch); LSET and LTRIM touch always.
               {"LINSERT", 3}, {"LSET", 2}, {"LTRIM", 3}, {"RPUSH", 2}};
  CheckProgram(c);
}

}  // namespace
}  // namespace txlab
