// The engine held to the reference model: RapidCheck stateful tests.
//
// Each case is a random program (model/model_gen.h): commands from several
// interleaved sessions — MULTI/EXEC/WATCH among them, with queue-time and
// run-time errors — and virtual-clock advances that expire keys. Every op runs
// on the engine (on a VirtualClock, active expiry off) and on the model; every
// reply must match (after model/reply_order.h canonicalisation: unordered
// replies sorted, RESP3 shapes flattened), and at the end so must the whole
// keyspace, read back through commands (program::DumpState).
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

#include "impl/conformance/engine_target.h"
#include "model/keyspace_model.h"
#include "model/model_gen.h"
#include "model/model_program.h"
#include "model/reply_order.h"

namespace txlab {
namespace {

using program::Op;

// The system under test, plus the model as it stands after the last op that
// ran (rc::state hands run() the state *before* the op).
struct Sut {
  EngineTarget engine;
  KeyspaceModel model;
};

// Which program generator the running property uses.
program::GenConfig& CurrentConfig() {
  static program::GenConfig config;
  return config;
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

bool ExecTolerated(const std::vector<std::vector<std::string>>& queued, const Reply& w, const Reply& g) {
  if (w == g) return true;
  if (w.type() != Reply::Type::kArray || g.type() != Reply::Type::kArray || w.elems().size() != queued.size() ||
      g.elems().size() != queued.size())
    return false;
  for (size_t i = 0; i < queued.size(); ++i) {
    // Inside EXEC the set's scores at that moment are not at hand, so any
    // BYLEX slot is given the benefit of UnspecifiedLexRange's doubt.
    if (IsBylex(queued[i])) continue;
    if (!Tolerated(queued[i], w.elems()[i], g.elems()[i])) return false;
  }
  return true;
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

struct ApplyOp : rc::state::Command<KeyspaceModel, Sut> {
  Op op = *program::GenOp(CurrentConfig());

  void apply(KeyspaceModel& model) const override { program::Apply(model, op); }

  void run(const KeyspaceModel& before, Sut& sut) const override {
    KeyspaceModel after = before;
    const auto* step = std::get_if<program::Step>(&op);
    std::vector<std::vector<std::string>> queued;
    bool exec = false;
    if (step) {
      std::string name = step->argv[0];
      for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      exec = name == "EXEC" && after.InMulti(step->session);
      if (exec) queued = after.Queued(step->session);
    }
    std::optional<Reply> want = program::Apply(after, op);
    std::optional<Reply> got = program::Apply(sut.engine, op);
    sut.model = std::move(after);
    if (!step) return;
    Reply w = exec ? CanonicalExecReply(queued, *want) : CanonicalReply(step->argv, *want);
    Reply g = exec ? CanonicalExecReply(queued, *got) : CanonicalReply(step->argv, *got);
    if (!exec && w != g && UnspecifiedLexRange(before, *step)) return;
    if (exec ? !ExecTolerated(queued, w, g) : !Tolerated(step->argv, w, g)) {
      RC_FAIL(program::ToString(op) + "\n    model (Redis 7.0): " + Describe(w) + "\n    engine:            " +
              Describe(g));
    }
  }

  void show(std::ostream& os) const override { os << program::ToString(op); }
};

// Runs one generated program against engine and model, then compares the
// final keyspaces.
void CheckProgram(program::GenConfig config) {
  config.keep = KeepForEngine;
  CurrentConfig() = config;
  KeyspaceModel initial;
  Sut sut;
  rc::state::check(initial, sut, rc::state::gen::execOneOfWithArgs<ApplyOp>());
  auto want = program::DumpState(sut.model, initial.databases());
  auto got = program::DumpState(sut.engine, initial.databases());
  for (size_t i = 0; i < std::min(want.size(), got.size()); ++i) {
    if (want[i] != got[i]) {
      RC_FAIL("final state differs at '" + want[i].first + "' (engine: '" + got[i].first +
              "')\n    model (Redis 7.0): " + Describe(want[i].second) + "\n    engine:            " +
              Describe(got[i].second));
    }
  }
  RC_ASSERT(want.size() == got.size());
}

// Default run size: 300 programs of up to ~200 ops per property (about
// two seconds in all). RC_PARAMS, when set, wins.
const bool kDefaultParams = [] {
  setenv("RC_PARAMS", "max_success=300 max_size=200", /*overwrite=*/0);
  return true;
}();

// The default mix: 3 sessions, 7 keys shared by all types, 3 databases.
RC_GTEST_PROP(EngineVsModel, DefaultMix, ()) { CheckProgram(program::GenConfig{}); }

// Heavy contention: 4 sessions on 2 keys in 1 database, so WATCHed keys are
// touched (or not) by the other sessions all the time.
RC_GTEST_PROP(EngineVsModel, ContendedWatch, ()) {
  program::GenConfig c;
  c.sessions = 4;
  c.keys = {"a", "b"};
  c.databases = 1;
  CheckProgram(c);
}

// Expiry-heavy: few keys, every db switch within two databases, lots of
// clock moves relative to the (default) TTLs.
RC_GTEST_PROP(EngineVsModel, ExpiryAndDatabases, ()) {
  program::GenConfig c;
  c.keys = {"a", "b", "c"};
  c.databases = 2;
  c.clock_percent = 15;
  CheckProgram(c);
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
               {"SMEMBERS", 2}, {"FLUSHDB", 1}, {"SWAPDB", 1}, {"RENAME", 2}};
  CheckProgram(c);
}

}  // namespace
}  // namespace txlab
