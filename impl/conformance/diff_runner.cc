#include "impl/conformance/diff_runner.h"

#include <chrono>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <thread>

#include "impl/conformance/diff_gen.h"
#include "impl/conformance/diff_script.h"
#include "impl/conformance/lua_exclusions.h"
#include "impl/conformance/model_side.h"
#include "impl/targets/resp_link.h"
#include "model/keyspace_model.h"
#include "model/reply_order.h"

namespace txlab::diff {
namespace {

using program::Op;
using program::Step;
using Argv = std::vector<std::string>;

// One server: a RespLink per session, opened on first use.
class WireSide {
 public:
  WireSide(int port, const std::set<int>& resp3) : port_(port), resp3_(resp3) {}
  Reply Call(int session, const Argv& argv) { return Link(session).Call(argv); }
  void AdvanceClock(int64_t) {}
  void ActiveExpireCycle() {}
  void Disconnect(int session) { links_.erase(session); }  // ~RespLink closes the socket

 private:
  RespLink& Link(int session) {
    auto& l = links_[session];
    if (!l) {
      l = std::make_unique<RespLink>("127.0.0.1", port_, DiffNetOptions());
      if (resp3_.count(session)) l->Call({"HELLO", "3"});  // its reply (ids, versions) differs; not compared
    }
    return *l;
  }
  int port_;
  std::set<int> resp3_;
  std::map<int, std::unique_ptr<RespLink>> links_;
};

// RESP3 has one null for both RESP2 nils.
Reply OneNull(const Reply& r) {
  if (r.is_nil()) return Reply::Nil();
  if (r.type() != Reply::Type::kArray) return r;
  std::vector<Reply> out;
  for (const Reply& e : r.elems()) out.push_back(OneNull(e));
  return Reply::Array(std::move(out));
}

// The RESP type of every value in `a` and `b` is the same (before the
// canonical comparison, which turns RESP3 values into RESP2 shapes).
bool SameTypes(const Reply& a, const Reply& b) {
  if (a.type() != b.type()) return false;
  if (a.type() != Reply::Type::kArray && a.type() != Reply::Type::kMap && a.type() != Reply::Type::kSet) return true;
  if (a.elems().size() != b.elems().size()) return false;
  for (size_t i = 0; i < a.elems().size(); ++i)
    if (!SameTypes(a.elems()[i], b.elems()[i])) return false;
  return true;
}

// Which sessions are inside MULTI and what they queued, from redis-server's
// replies (the reference): EXEC's slots are canonicalised by what was queued.
class MultiTracker {
 public:
  bool InMulti(int s) const { return in_multi_.count(s) > 0; }
  const std::vector<Argv>& Queued(int s) { return queued_[s]; }
  void Observe(int s, const Argv& argv, const Reply& r) {
    const std::string name = UpperCopy(argv[0]);
    const bool arity_error = r.is_error() && r.str().rfind("ERR wrong number of arguments", 0) == 0;
    if (name == "RESET" && !arity_error) return Clear(s);
    if (!InMulti(s)) {
      if (name == "MULTI" && r.is_ok()) in_multi_.insert(s);
      return;
    }
    if ((name == "EXEC" || name == "DISCARD") && !arity_error) return Clear(s);
    if (r.is_status() && r.str() == "QUEUED") queued_[s].push_back(argv);
  }
  void Clear(int s) {
    in_multi_.erase(s);
    queued_.erase(s);
  }

 private:
  std::set<int> in_multi_;
  std::map<int, std::vector<Argv>> queued_;
};

bool TtlCommand(const std::string& name) { return name == "TTL" || name == "PTTL"; }

// One reply of txlab serve (or the model) against redis-server's, both
// canonical, for command `argv`. *excluded names the Lua exclusion used;
// *tolerated is set if only the TTL tolerance made them equal.
bool Agree(const Argv& argv, const Reply& redis, const Reply& other, std::string* excluded, bool* tolerated) {
  if (redis == other) return true;
  const std::string name = UpperCopy(argv[0]);
  if (TtlCommand(name) && redis.type() == Reply::Type::kInteger && other.type() == Reply::Type::kInteger &&
      redis.integer() > 0 && other.integer() > 0) {
    const int64_t tol = name == "TTL" ? kTtlToleranceMs / 1000 : kTtlToleranceMs;
    if (std::llabs(redis.integer() - other.integer()) <= tol) {
      if (tolerated) *tolerated = true;
      return true;
    }
  }
  if (excluded) {
    if (const Script* s = ScriptOf(argv)) {
      if (const LuaExclusion* e = ExplainedBy(*s, redis, other)) {
        *excluded = e->id;
        return true;
      }
    }
  }
  return false;
}

bool IsBylex(const Argv& argv) {
  if (UpperCopy(argv[0]) != "ZRANGE") return false;
  for (const auto& a : argv)
    if (UpperCopy(a) == "BYLEX") return true;
  return false;
}

// ZRANGE ... BYLEX on a sorted set whose scores are not all equal: the result
// is unspecified. redis-server 7.0 answers from its (score, member) order,
// checking the first and last element first (zslIsInLexRange), and the model
// copies that, so the model is still compared; txlab serve walks differently
// (ZADD a -inf o -1 1; ZRANGE a [1 - BYLEX REV: redis-server and the model
// [], txlab serve ["1"]), which is not a bug, so its reply is not compared
// (as in redis_differential_test and engine_model_test). `before` is the
// model before the command.
bool UnspecifiedLexRange(const KeyspaceModel& before, int session, const Argv& argv) {
  if (!IsBylex(argv) || argv.size() < 2) return false;
  KeyspaceModel probe = before;  // reads on a copy
  probe.Call(program::kDumpSession, {"SELECT", std::to_string(before.SelectedDb(session))});
  Reply all = probe.Call(program::kDumpSession, {"ZRANGE", argv[1], "0", "-1", "WITHSCORES"});
  if (all.type() != Reply::Type::kArray) return false;
  for (size_t i = 3; i < all.elems().size(); i += 2)
    if (all.elems()[i].str() != all.elems()[1].str()) return true;
  return false;
}

// txlab serve's EXEC reply agrees with redis-server's except in slots of
// queued BYLEX ranges (the set's scores at that moment are not at hand, so
// every BYLEX slot gets the benefit of the doubt).
bool ExecAgreesUpToBylex(const std::vector<Argv>& queued, const Reply& redis, const Reply& other) {
  if (redis.type() != Reply::Type::kArray || other.type() != Reply::Type::kArray ||
      redis.elems().size() != queued.size() || other.elems().size() != queued.size())
    return false;
  for (size_t i = 0; i < queued.size(); ++i) {
    if (!IsBylex(queued[i]) && !Agree(queued[i], redis.elems()[i], other.elems()[i], nullptr, nullptr)) return false;
  }
  return true;
}

// Agree for a whole step: EXEC's slots one by one against the queued commands.
bool AgreeStep(const Argv& argv, const std::vector<Argv>* queued, const Reply& redis, const Reply& other,
               std::vector<std::string>* excluded, bool* tolerated) {
  if (queued && redis.type() == Reply::Type::kArray && other.type() == Reply::Type::kArray &&
      redis.elems().size() == queued->size() && other.elems().size() == queued->size()) {
    for (size_t i = 0; i < queued->size(); ++i) {
      std::string ex;
      if (!Agree((*queued)[i], redis.elems()[i], other.elems()[i], excluded ? &ex : nullptr, tolerated)) return false;
      if (!ex.empty()) excluded->push_back(ex);
    }
    return true;
  }
  std::string ex;
  if (!Agree(argv, redis, other, excluded ? &ex : nullptr, tolerated)) return false;
  if (!ex.empty()) excluded->push_back(ex);
  return true;
}

// The model's prediction against redis-server's reply: scripts' errors by
// prefix (ScriptReplyMatches), TTLs within the tolerance.
bool ModelAgrees(const Argv& argv, const std::vector<Argv>* queued, const Reply& redis, const Reply& model) {
  if (ScriptReplyMatches(model, redis)) return true;
  if (queued && redis.type() == Reply::Type::kArray && model.type() == Reply::Type::kArray &&
      redis.elems().size() == queued->size() && model.elems().size() == queued->size()) {
    for (size_t i = 0; i < queued->size(); ++i)
      if (!ScriptReplyMatches(model.elems()[i], redis.elems()[i]) &&
          !Agree((*queued)[i], redis.elems()[i], model.elems()[i], nullptr, nullptr))
        return false;
    return true;
  }
  return Agree(argv, redis, model, nullptr, nullptr);
}


Argv SplitLabel(const std::string& label) {
  Argv out;
  std::istringstream in(label);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::optional<std::string> CompareDumps(const char* side, const std::vector<std::pair<std::string, Reply>>& want,
                                        const std::vector<std::pair<std::string, Reply>>& got) {
  for (size_t i = 0; i < std::min(want.size(), got.size()); ++i) {
    if (want[i].first != got[i].first || !Agree(SplitLabel(want[i].first), want[i].second, got[i].second, nullptr, nullptr))
      return std::string("final state: ") + side + " differs at '" + want[i].first + "' (" + side + ": '" +
             got[i].first + "')\n    redis-server: " + Show(want[i].second) + "\n    " + side + ": " +
             Show(got[i].second);
  }
  if (want.size() != got.size())
    return std::string("final state: ") + side + " dump has " + std::to_string(got.size()) + " entries, redis-server " +
           std::to_string(want.size());
  return std::nullopt;
}

}  // namespace

const char* TypeName(const Reply& r) {
  switch (r.type()) {
    case Reply::Type::kStatus: return "status";
    case Reply::Type::kError: return "error";
    case Reply::Type::kInteger: return "integer";
    case Reply::Type::kBulk: return "bulk";
    case Reply::Type::kNil: return "nil";
    case Reply::Type::kNilArray: return "nil array";
    case Reply::Type::kArray: return "array";
    case Reply::Type::kDouble: return "double";
    case Reply::Type::kBool: return "bool";
    case Reply::Type::kMap: return "map";
    case Reply::Type::kSet: return "set";
    case Reply::Type::kVerbatim: return "verbatim";
    case Reply::Type::kBigNumber: return "big number";
  }
  return "?";
}

std::string Show(const Reply& r) { return r.ToString() + "  [" + TypeName(r) + "]"; }

std::string CliQuote(const std::string& a) {
  bool plain = !a.empty();
  for (char ch : a) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == ' ' || ch == '"' || ch == '\\' || ch == '\'' || u < 0x20 || u >= 0x7f) plain = false;
  }
  if (plain) return a;
  std::string out = "\"";
  for (char ch : a) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string ToRedisCli(const program::Program& p, const std::set<int>& resp3_sessions) {
  std::string out;
  for (int s : resp3_sessions) out += "[c" + std::to_string(s) + "] HELLO 3   # when the connection opens\n";
  std::map<int, std::vector<Argv>> queued;  // to show the sleeps after EXEC
  for (const Op& op : p) {
    if (const auto* d = std::get_if<program::Disconnect>(&op)) {
      out += "[c" + std::to_string(d->session) + "] (disconnect)\n";
      queued.erase(d->session);
      continue;
    }
    const auto* s = std::get_if<Step>(&op);
    if (!s) {
      out += "# " + program::ToString(op) + "\n";
      continue;
    }
    out += "[c" + std::to_string(s->session) + "]";
    for (const auto& a : s->argv) out += " " + CliQuote(a);
    out += "\n";
    if (SetsShortTtl(s->argv)) out += "# sleep " + std::to_string(kShortSleepMs) + " ms (if not queued)\n";
  }
  return out;
}

std::optional<std::string> RunProgram(const Endpoints& ep, const program::Program& p, int64_t base_ms, Stats* stats,
                                      std::string* io_error) {
  WireSide redis(ep.redis_port, ep.resp3_sessions), txlab(ep.txlab_port, ep.resp3_sessions);
  ModelSide model(base_ms);
  MultiTracker tracker;
  ++stats->programs;
  for (size_t i = 0; i < p.size(); ++i) {
    const Op& op = p[i];
    if (const auto* d = std::get_if<program::Disconnect>(&op)) {
      redis.Disconnect(d->session);
      txlab.Disconnect(d->session);
      model.Disconnect(d->session);
      tracker.Clear(d->session);
      continue;
    }
    const auto* step = std::get_if<Step>(&op);
    if (!step) continue;  // no clock ops are generated
    const Argv& argv = step->argv;
    const std::string name = UpperCopy(argv[0]);
    const bool exec = name == "EXEC" && tracker.InMulti(step->session);
    const std::vector<Argv> queued = exec ? tracker.Queued(step->session) : std::vector<Argv>{};
    const bool lex_unspecified = !exec && UnspecifiedLexRange(model.model(), step->session, argv);
    Reply r = redis.Call(step->session, argv);
    Reply t = txlab.Call(step->session, argv);
    if (ep.corrupt_txlab) t = ep.corrupt_txlab(argv, t);
    std::optional<Reply> m = model.Step(step->session, argv, &r);
    if (IsIoError(r) || IsIoError(t)) {
      *io_error = "op " + std::to_string(i) + " " + program::ToString(op) + ": redis " + r.ToString() + ", txlab " +
                  t.ToString();
      return std::nullopt;
    }
    ++stats->commands;
    if (IsEval(argv)) ++stats->eval_commands;
    if (exec && r.type() == Reply::Type::kArray) ++stats->exec_commands;
    tracker.Observe(step->session, argv, r);

    auto canon = [&](const Reply& x) { return exec ? CanonicalExecReply(queued, x) : CanonicalReply(argv, x); };
    const bool resp3 = ep.resp3_sessions.count(step->session) > 0;
    const Reply rc = canon(r), tc = canon(t);
    std::vector<std::string> excluded;
    bool tolerated = false;
    bool txlab_ok = (!resp3 || SameTypes(r, t)) && AgreeStep(argv, exec ? &queued : nullptr, rc, tc, &excluded, &tolerated);
    if (!txlab_ok && (lex_unspecified || (exec && ExecAgreesUpToBylex(queued, rc, tc)))) {
      txlab_ok = true;
      ++stats->bylex_unspecified;
    }
    bool model_ok = true;
    if (m) {
      model_ok = resp3 ? ModelAgrees(argv, exec ? &queued : nullptr, OneNull(rc), OneNull(canon(*m)))
                       : ModelAgrees(argv, exec ? &queued : nullptr, rc, canon(*m));
      if (model_ok) ++stats->model_compared;
    } else {
      ++stats->model_unpredicted;
    }
    if (!txlab_ok || !model_ok) {
      return "op " + std::to_string(i) + ": " + program::ToString(op) + (resp3 ? " (RESP3)" : "") +
             "\n    redis-server: " + Show(r) + "\n    txlab serve:  " + Show(t) + (txlab_ok ? "" : "   <-- differs") +
             "\n    model:        " + (m ? Show(canon(*m)) : std::string("(not predicted)")) +
             (model_ok ? "" : "   <-- differs");
    }
    for (const auto& e : excluded) ++stats->excluded[e];
    if (tolerated) ++stats->ttl_tolerated;

    bool sleep = !(r == Reply::Queued()) && SetsShortTtl(argv);
    for (const Argv& q : queued) sleep = sleep || SetsShortTtl(q);
    if (sleep) {
      ++stats->short_ttl_sleeps;
      std::this_thread::sleep_for(std::chrono::milliseconds(kShortSleepMs));
      model.AdvanceClock(kShortSleepMs);
    }
  }
  const int dbs = KeyspaceModel::kDefaultDatabases;
  auto want = program::DumpState(redis, dbs);
  if (auto d = CompareDumps("txlab serve", want, program::DumpState(txlab, dbs))) return d;
  if (auto d = CompareDumps("model", want, program::DumpState(model.model(), dbs))) return d;
  return std::nullopt;
}

}  // namespace txlab::diff
