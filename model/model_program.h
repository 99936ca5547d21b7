// Programs: sequences of client commands and clock moves that can be replayed
// against anything that answers commands — the reference model, the engine,
// a RESP connection to redis-server — and compared reply by reply.
//
//   program::Op  =  Step{session, argv}       one command from one client
//                |  AdvanceClock{ms}          time passes (keys may expire)
//                |  ActiveExpire{}            a complete active-expiry pass
//                |  Disconnect{session}       the client goes away (T10); the
//                                             next Step on that id is a new client
//
// A TARGET is any type with
//     Reply Call(int session, const std::vector<std::string>& argv);
//     void AdvanceClock(int64_t ms);
//     void ActiveExpireCycle();
//     void Disconnect(int session);
// KeyspaceModel is one as it stands; an engine or a socket needs a small
// adapter (sessions → connections; AdvanceClock → VirtualClock::AdvanceMs, or
// a sleep on a real server; ActiveExpireCycle → Engine::ActiveExpireCycle, or
// nothing where it cannot be forced — then don't generate it).
//
// Random programs come from model/model_gen.h (RapidCheck). This header has
// no RapidCheck dependency.
#ifndef TXLAB_MODEL_MODEL_PROGRAM_H_
#define TXLAB_MODEL_MODEL_PROGRAM_H_

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/keyspace_model.h"
#include "model/reply.h"
#include "model/reply_order.h"

namespace txlab::program {

struct Step {
  int session = 0;
  std::vector<std::string> argv;
};
struct AdvanceClock {
  int64_t ms = 0;
};
struct ActiveExpire {};
struct Disconnect {
  int session = 0;
};

using Op = std::variant<Step, AdvanceClock, ActiveExpire, Disconnect>;
using Program = std::vector<Op>;

// "s1: SET a 1 PX 100", "clock +500ms", "active-expire". Arguments that are
// empty or contain spaces or quotes are double-quoted with escapes.
std::string ToString(const Op& op);
// One op per line, numbered.
std::string ToString(const Program& p);

template <class T>
concept Target = requires(T t, int session, const std::vector<std::string>& argv, int64_t ms) {
  { t.Call(session, argv) } -> std::convertible_to<Reply>;
  t.AdvanceClock(ms);
  t.ActiveExpireCycle();
  t.Disconnect(session);
};

// Runs one op; returns the reply of a Step, nothing for the other ops.
template <Target T>
std::optional<Reply> Apply(T& target, const Op& op) {
  if (const Step* s = std::get_if<Step>(&op)) return Reply(target.Call(s->session, s->argv));
  if (const AdvanceClock* a = std::get_if<AdvanceClock>(&op)) {
    target.AdvanceClock(a->ms);
  } else if (const Disconnect* d = std::get_if<Disconnect>(&op)) {
    target.Disconnect(d->session);
  } else {
    target.ActiveExpireCycle();
  }
  return std::nullopt;
}

// A session id reserved for state dumps; programs should not use it.
inline constexpr int kDumpSession = 1'000'000;

// The whole keyspace read back through commands on session kDumpSession, as
// a list of (label, canonical reply): per database DBSIZE and the sorted key
// names, then per key TYPE, PTTL and its contents (GET, HGETALL, LRANGE,
// SMEMBERS or ZRANGE WITHSCORES). Reads may lazily delete stale keys, so dump
// at the end. The dump session is RESET first and left in db 0.
template <Target T>
std::vector<std::pair<std::string, Reply>> DumpState(T& target, int databases) {
  std::vector<std::pair<std::string, Reply>> out;
  auto call = [&](std::vector<std::string> argv) {
    Reply r = CanonicalReply(argv, Reply(target.Call(kDumpSession, argv)));
    std::string label;
    for (const auto& a : argv) label += (label.empty() ? "" : " ") + a;
    out.emplace_back(label, r);
    return r;
  };
  target.Call(kDumpSession, {"RESET"});
  for (int db = 0; db < databases; ++db) {
    call({"SELECT", std::to_string(db)});
    call({"DBSIZE"});
    Reply keys = call({"KEYS", "*"});
    for (const Reply& k : keys.elems()) {
      const std::string& key = k.str();
      Reply type = call({"TYPE", key});
      call({"PTTL", key});
      if (type.str() == "string") call({"GET", key});
      else if (type.str() == "hash") call({"HGETALL", key});
      else if (type.str() == "list") call({"LRANGE", key, "0", "-1"});
      else if (type.str() == "set") call({"SMEMBERS", key});
      else if (type.str() == "zset") call({"ZRANGE", key, "0", "-1", "WITHSCORES"});
    }
  }
  target.Call(kDumpSession, {"SELECT", "0"});
  return out;
}

}  // namespace txlab::program

#endif  // TXLAB_MODEL_MODEL_PROGRAM_H_
