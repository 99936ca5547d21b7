// RapidCheck generators of programs (model/model_program.h): random command
// sequences from several interleaved sessions, built to make interesting
// things happen often —
//   * a small key set shared by all types, so keys collide and WRONGTYPE
//     happens; small numeric values, so INCR works about half the time;
//   * MULTI/EXEC/DISCARD/WATCH/UNWATCH/RESET from every session, so
//     transactions interleave with other sessions' writes, queue-time errors
//     (wrong arity, unknown commands) and run-time errors;
//   * TTLs of a few hundred ms to a few s and clock advances of similar size,
//     so keys expire under watches; absolute times (EXPIREAT, PXAT) near
//     GenConfig::base_time_ms, some in the past.
// Header-only (the programs' consumers link RapidCheck; txlab_model doesn't).
// Shrinking: a program shrinks by dropping ops and by moving each choice
// towards the front of its list, so commands and arguments are listed
// simplest-first.
#ifndef TXLAB_MODEL_MODEL_GEN_H_
#define TXLAB_MODEL_MODEL_GEN_H_

#include <rapidcheck.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/keyspace_model.h"
#include "model/model_program.h"

namespace txlab::program {

struct GenConfig {
  int sessions = 3;  // session ids 0..sessions-1
  // Keys shared by every type: collisions and WRONGTYPE are the point.
  std::vector<std::string> keys = {"a", "b", "c", "h", "l", "s", "z"};
  // Databases SELECT/SWAPDB pick from (plus an occasional invalid index).
  int databases = 3;
  // Absolute EXPIREAT/PEXPIREAT/EXAT/PXAT arguments are drawn around this time
  // (the target's clock at the start of the program).
  int64_t base_time_ms = KeyspaceModel::kDefaultStartMs;
  bool clock_ops = true;          // generate AdvanceClock
  int clock_percent = 6;          // ... as this percentage of ops
  bool active_expire_ops = true;  // generate ActiveExpire
  bool disconnect_ops = true;     // generate Disconnect (about 1% of ops)
  bool flushall = true;           // generate FLUSHALL (rare anyway)
  // If set, a generated command for which keep(argv) is false is replaced by
  // PING: a way to step around a target's known, open bug.
  std::function<bool(const std::vector<std::string>&)> keep;
  // Per-command weights replacing the built-in ones, by upper-case command
  // name ("_arity" and "_unknown" for the rejected forms). With
  // only_weighted, commands not named here are not generated.
  std::map<std::string, int> weights;
  bool only_weighted = false;
};

namespace gen_detail {

inline std::string Pick(const std::vector<std::string>& v) { return *rc::gen::elementOf(v); }
template <class T>
T PickAny(const std::vector<T>& v) {
  return *rc::gen::elementOf(v);
}

inline std::vector<std::string> Values() {
  return {"1", "0", "2", "x", "-1", "10", "abc", "1.5", "", "007", "9223372036854775807", "-9223372036854775808"};
}
inline std::vector<std::string> Fields() { return {"f", "g", "h"}; }
inline std::vector<std::string> Members() { return {"m", "n", "o", "1"}; }
inline std::vector<std::string> Scores() { return {"1", "2", "0", "1.5", "-1", "inf", "-inf", "x", "nan"}; }
inline std::vector<std::string> Indexes() { return {"0", "-1", "1", "2", "-2", "10", "x"}; }
inline std::vector<std::string> Counts() { return {"1", "2", "0", "-1", "10", "x"}; }
inline std::vector<std::string> TtlSeconds() { return {"1", "2", "5", "0", "-1", "x"}; }
inline std::vector<std::string> TtlMillis() { return {"500", "100", "1000", "1", "1500", "3000", "0", "-5"}; }
inline std::vector<std::string> Floats() { return {"1", "0.5", "-2", "1.5", "1e3", "0.1", "inf", "x"}; }
inline std::vector<std::string> Patterns() { return {"*", "a*", "?", "[a-c]", "*[^l]", "h?", "x"}; }

// Between lo and hi picks from `from`.
inline std::vector<std::string> Several(const std::vector<std::string>& from, int lo, int hi) {
  int n = *rc::gen::inRange(lo, hi + 1);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(Pick(from));
  return out;
}

inline std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct CommandGen {
  int weight;
  const char* name;  // the command generated (or "_arity", "_unknown")
  std::function<std::vector<std::string>(const GenConfig&)> build;
};

inline std::vector<CommandGen> Commands() {
  using V = std::vector<std::string>;
  auto K = [](const GenConfig& c) { return Pick(c.keys); };
  auto abs_ms = [](const GenConfig& c, int64_t off) { return std::to_string(c.base_time_ms + off); };
  return {
      // ---- strings -------------------------------------------------------------
      {8, "GET", [=](const GenConfig& c) { return V{"GET", K(c)}; }},
      {10, "SET",
       [=](const GenConfig& c) {
         V argv{"SET", K(c), Pick(Values())};
         int nopts = *rc::gen::inRange(0, 4);
         for (int i = 0; i < nopts; ++i) {
           switch (*rc::gen::inRange(0, 10)) {
             case 0: argv.push_back("NX"); break;
             case 1: argv.push_back("XX"); break;
             case 2: argv.push_back("GET"); break;
             case 3: argv.push_back("KEEPTTL"); break;
             case 4: argv = Concat(argv, {"EX", Pick(TtlSeconds())}); break;
             case 5: argv = Concat(argv, {"PX", Pick(TtlMillis())}); break;
             case 6:
               argv = Concat(argv, {"EXAT", std::to_string(c.base_time_ms / 1000 + *rc::gen::inRange(-1, 4))});
               break;
             case 7: argv = Concat(argv, {"PXAT", abs_ms(c, *rc::gen::inRange(-500, 4000))}); break;
             case 8: argv.push_back("px"); break;  // dangling: syntax error
             default: argv.push_back("BADOPT"); break;
           }
         }
         return argv;
       }},
      {2, "SETNX", [=](const GenConfig& c) { return V{"SETNX", K(c), Pick(Values())}; }},
      {2, "GETSET", [=](const GenConfig& c) { return V{"GETSET", K(c), Pick(Values())}; }},
      {2, "GETDEL", [=](const GenConfig& c) { return V{"GETDEL", K(c)}; }},
      {2, "MGET", [=](const GenConfig& c) { return Concat({"MGET"}, Several(c.keys, 1, 3)); }},
      {2, "MSET",
       [=](const GenConfig& c) {
         V argv{"MSET"};
         int pairs = *rc::gen::inRange(1, 3);
         for (int i = 0; i < pairs; ++i) argv = Concat(argv, {K(c), Pick(Values())});
         if (*rc::gen::inRange(0, 8) == 0) argv.push_back(K(c));  // odd: run-time arity error
         return argv;
       }},
      {2, "MSETNX",
       [=](const GenConfig& c) {
         V argv{"MSETNX"};
         int pairs = *rc::gen::inRange(1, 3);
         for (int i = 0; i < pairs; ++i) argv = Concat(argv, {K(c), Pick(Values())});
         return argv;
       }},
      {6, "INCR", [=](const GenConfig& c) { return V{"INCR", K(c)}; }},
      {3, "INCRBY", [=](const GenConfig& c) { return V{"INCRBY", K(c), Pick(Counts())}; }},
      {2, "DECR", [=](const GenConfig& c) { return V{"DECR", K(c)}; }},
      {2, "DECRBY", [=](const GenConfig& c) { return V{"DECRBY", K(c), Pick(Counts())}; }},
      {2, "INCRBYFLOAT", [=](const GenConfig& c) { return V{"INCRBYFLOAT", K(c), Pick(Floats())}; }},
      {3, "APPEND", [=](const GenConfig& c) { return V{"APPEND", K(c), Pick(Values())}; }},
      {1, "STRLEN", [=](const GenConfig& c) { return V{"STRLEN", K(c)}; }},
      // ---- keys ----------------------------------------------------------------
      {3, "EXISTS", [=](const GenConfig& c) { return Concat({"EXISTS"}, Several(c.keys, 1, 3)); }},
      {3, "TYPE", [=](const GenConfig& c) { return V{"TYPE", K(c)}; }},
      {4, "DEL", [=](const GenConfig& c) { return Concat({"DEL"}, Several(c.keys, 1, 2)); }},
      {1, "UNLINK", [=](const GenConfig& c) { return Concat({"UNLINK"}, Several(c.keys, 1, 2)); }},
      {3, "RENAME", [=](const GenConfig& c) { return V{"RENAME", K(c), K(c)}; }},
      {5, "EXPIRE",
       [=](const GenConfig& c) {
         V argv{"EXPIRE", K(c), Pick(TtlSeconds())};
         if (*rc::gen::inRange(0, 4) == 0) argv.push_back(Pick({"NX", "XX", "GT", "LT", "BAD"}));
         return argv;
       }},
      {5, "PEXPIRE",
       [=](const GenConfig& c) {
         V argv{"PEXPIRE", K(c), Pick(TtlMillis())};
         if (*rc::gen::inRange(0, 4) == 0) argv.push_back(Pick({"NX", "XX", "GT", "LT"}));
         return argv;
       }},
      {1, "EXPIREAT",
       [=](const GenConfig& c) {
         return V{"EXPIREAT", K(c), std::to_string(c.base_time_ms / 1000 + *rc::gen::inRange(-1, 4))};
       }},
      {2, "PEXPIREAT", [=](const GenConfig& c) { return V{"PEXPIREAT", K(c), abs_ms(c, *rc::gen::inRange(-500, 4000))}; }},
      {3, "TTL", [=](const GenConfig& c) { return V{"TTL", K(c)}; }},
      {4, "PTTL", [=](const GenConfig& c) { return V{"PTTL", K(c)}; }},
      {2, "PERSIST", [=](const GenConfig& c) { return V{"PERSIST", K(c)}; }},
      // ---- server / databases --------------------------------------------------
      {1, "PING", [=](const GenConfig& c) { return *rc::gen::inRange(0, 2) ? V{"PING"} : V{"PING", "hi"}; }},
      {1, "ECHO", [=](const GenConfig& c) { return V{"ECHO", Pick(Values())}; }},
      {3, "SELECT",
       [=](const GenConfig& c) {
         int db = *rc::gen::inRange(0, c.databases + 1);  // databases → maybe out of range
         return V{"SELECT", db == c.databases ? Pick({"16", "-1", "x"}) : std::to_string(db)};
       }},
      {1, "SWAPDB",
       [=](const GenConfig& c) {
         return V{"SWAPDB", std::to_string(*rc::gen::inRange(0, c.databases)),
                  std::to_string(*rc::gen::inRange(0, c.databases))};
       }},
      {2, "DBSIZE", [=](const GenConfig& c) { return V{"DBSIZE"}; }},
      {1, "FLUSHDB", [=](const GenConfig& c) { return *rc::gen::inRange(0, 3) ? V{"FLUSHDB"} : V{"FLUSHDB", "ASYNC"}; }},
      {1, "FLUSHALL", [=](const GenConfig& c) { return V{"FLUSHALL"}; }},
      {2, "KEYS", [=](const GenConfig& c) { return V{"KEYS", Pick(Patterns())}; }},
      // ---- hashes --------------------------------------------------------------
      {5, "HSET",
       [=](const GenConfig& c) {
         V argv{"HSET", K(c)};
         int pairs = *rc::gen::inRange(1, 3);
         for (int i = 0; i < pairs; ++i) argv = Concat(argv, {Pick(Fields()), Pick(Values())});
         if (*rc::gen::inRange(0, 10) == 0) argv.push_back(Pick(Fields()));  // odd: run-time error
         return argv;
       }},
      {3, "HGET", [=](const GenConfig& c) { return V{"HGET", K(c), Pick(Fields())}; }},
      {1, "HMGET", [=](const GenConfig& c) { return Concat({"HMGET", K(c)}, Several(Fields(), 1, 3)); }},
      {2, "HDEL", [=](const GenConfig& c) { return Concat({"HDEL", K(c)}, Several(Fields(), 1, 2)); }},
      {2, "HGETALL", [=](const GenConfig& c) { return V{"HGETALL", K(c)}; }},
      {3, "HINCRBY", [=](const GenConfig& c) { return V{"HINCRBY", K(c), Pick(Fields()), Pick(Counts())}; }},
      {1, "HEXISTS", [=](const GenConfig& c) { return V{"HEXISTS", K(c), Pick(Fields())}; }},
      {1, "HLEN", [=](const GenConfig& c) { return V{"HLEN", K(c)}; }},
      // ---- lists ---------------------------------------------------------------
      {4, "LPUSH", [=](const GenConfig& c) { return Concat({"LPUSH", K(c)}, Several(Values(), 1, 3)); }},
      {4, "RPUSH", [=](const GenConfig& c) { return Concat({"RPUSH", K(c)}, Several(Values(), 1, 3)); }},
      {2, "LPOP",
       [=](const GenConfig& c) {
         return *rc::gen::inRange(0, 3) ? V{"LPOP", K(c)} : V{"LPOP", K(c), Pick(Counts())};
       }},
      {2, "RPOP",
       [=](const GenConfig& c) {
         return *rc::gen::inRange(0, 3) ? V{"RPOP", K(c)} : V{"RPOP", K(c), Pick(Counts())};
       }},
      {3, "LRANGE", [=](const GenConfig& c) { return V{"LRANGE", K(c), Pick(Indexes()), Pick(Indexes())}; }},
      {1, "LLEN", [=](const GenConfig& c) { return V{"LLEN", K(c)}; }},
      {1, "LINDEX", [=](const GenConfig& c) { return V{"LINDEX", K(c), Pick(Indexes())}; }},
      {1, "LREM", [=](const GenConfig& c) { return V{"LREM", K(c), Pick(Indexes()), Pick(Values())}; }},
      {1, "LPOS",
       [=](const GenConfig& c) {
         V argv{"LPOS", K(c), Pick(Values())};
         int nopts = *rc::gen::inRange(0, 3);
         for (int i = 0; i < nopts; ++i) {
           switch (*rc::gen::inRange(0, 4)) {
             case 0: argv = Concat(argv, {"RANK", Pick({"1", "2", "-1", "-2", "0", "x"})}); break;
             case 1: argv = Concat(argv, {"COUNT", Pick(Counts())}); break;
             case 2: argv = Concat(argv, {"MAXLEN", Pick(Counts())}); break;
             default: argv.push_back(Pick({"RANK", "BAD"})); break;  // dangling or unknown: syntax error
           }
         }
         return argv;
       }},
      {1, "LINSERT",
       [=](const GenConfig& c) {
         return V{"LINSERT", K(c), Pick({"BEFORE", "AFTER", "after", "MIDDLE"}), Pick(Values()), Pick(Values())};
       }},
      {1, "LSET", [=](const GenConfig& c) { return V{"LSET", K(c), Pick(Indexes()), Pick(Values())}; }},
      {1, "LTRIM", [=](const GenConfig& c) { return V{"LTRIM", K(c), Pick(Indexes()), Pick(Indexes())}; }},
      // ---- sets ----------------------------------------------------------------
      {4, "SADD", [=](const GenConfig& c) { return Concat({"SADD", K(c)}, Several(Members(), 1, 3)); }},
      {2, "SREM", [=](const GenConfig& c) { return Concat({"SREM", K(c)}, Several(Members(), 1, 2)); }},
      {2, "SMEMBERS", [=](const GenConfig& c) { return V{"SMEMBERS", K(c)}; }},
      {1, "SISMEMBER", [=](const GenConfig& c) { return V{"SISMEMBER", K(c), Pick(Members())}; }},
      {1, "SCARD", [=](const GenConfig& c) { return V{"SCARD", K(c)}; }},
      {1, "SMISMEMBER", [=](const GenConfig& c) { return Concat({"SMISMEMBER", K(c)}, Several(Members(), 1, 3)); }},
      {2, "SMOVE", [=](const GenConfig& c) { return V{"SMOVE", K(c), K(c), Pick(Members())}; }},
      {2, "SINTER", [=](const GenConfig& c) { return Concat({"SINTER"}, Several(c.keys, 1, 3)); }},
      {2, "SUNION", [=](const GenConfig& c) { return Concat({"SUNION"}, Several(c.keys, 1, 3)); }},
      {2, "SDIFF", [=](const GenConfig& c) { return Concat({"SDIFF"}, Several(c.keys, 1, 3)); }},
      {2, "SINTERSTORE", [=](const GenConfig& c) { return Concat({"SINTERSTORE", K(c)}, Several(c.keys, 1, 3)); }},
      {2, "SUNIONSTORE", [=](const GenConfig& c) { return Concat({"SUNIONSTORE", K(c)}, Several(c.keys, 1, 3)); }},
      {2, "SDIFFSTORE", [=](const GenConfig& c) { return Concat({"SDIFFSTORE", K(c)}, Several(c.keys, 1, 3)); }},
      {1, "SINTERCARD",
       [=](const GenConfig& c) {
         V keys = Several(c.keys, 1, 3);
         // Mostly the right numkeys; sometimes 0, too many, or not a number.
         std::string numkeys = *rc::gen::inRange(0, 6) ? std::to_string(keys.size()) : Pick({"0", "4", "x", "-1"});
         V argv = Concat({"SINTERCARD", numkeys}, keys);
         switch (*rc::gen::inRange(0, 6)) {
           case 0: argv = Concat(argv, {"LIMIT", Pick(Counts())}); break;
           case 1: argv = Concat(argv, {Pick({"LIMIT", "limit", "BAD"})}); break;
           case 2: argv = Concat(argv, {"LIMIT", "1", "LIMIT", Pick(Counts())}); break;
           default: break;
         }
         return argv;
       }},
      // ---- sorted sets ---------------------------------------------------------
      {5, "ZADD",
       [=](const GenConfig& c) {
         V argv{"ZADD", K(c)};
         int nopts = *rc::gen::inRange(0, 3) == 0 ? *rc::gen::inRange(1, 3) : 0;
         for (int i = 0; i < nopts; ++i) argv.push_back(Pick({"NX", "XX", "GT", "LT", "CH", "INCR"}));
         int pairs = *rc::gen::inRange(1, 3);
         for (int i = 0; i < pairs; ++i) argv = Concat(argv, {Pick(Scores()), Pick(Members())});
         return argv;
       }},
      {2, "ZINCRBY", [=](const GenConfig& c) { return V{"ZINCRBY", K(c), Pick(Scores()), Pick(Members())}; }},
      {2, "ZSCORE", [=](const GenConfig& c) { return V{"ZSCORE", K(c), Pick(Members())}; }},
      {2, "ZREM", [=](const GenConfig& c) { return Concat({"ZREM", K(c)}, Several(Members(), 1, 2)); }},
      {1, "ZCARD", [=](const GenConfig& c) { return V{"ZCARD", K(c)}; }},
      {3, "ZRANGE",
       [=](const GenConfig& c) {
         switch (*rc::gen::inRange(0, 5)) {
           case 0: return V{"ZRANGE", K(c), Pick(Indexes()), Pick(Indexes())};
           case 4: {
             V argv{"ZRANGE", K(c), Pick({"-", "[m", "(m", "[1", "x"}), Pick({"+", "[n", "(o", "-"}), "BYLEX"};
             if (*rc::gen::inRange(0, 2)) argv.push_back("REV");
             if (*rc::gen::inRange(0, 3) == 0) argv = Concat(argv, {"LIMIT", Pick(Indexes()), Pick(Counts())});
             return argv;
           }
           case 1: return V{"ZRANGE", K(c), Pick(Indexes()), Pick(Indexes()), "WITHSCORES"};
           case 2: return V{"ZRANGE", K(c), Pick(Indexes()), Pick(Indexes()), "REV"};
           default: {
             V argv{"ZRANGE", K(c), Pick({"-inf", "0", "(1", "1"}), Pick({"+inf", "2", "(2", "x"}), "BYSCORE"};
             if (*rc::gen::inRange(0, 2)) argv.push_back("REV");
             if (*rc::gen::inRange(0, 2)) argv = Concat(argv, {"LIMIT", Pick(Indexes()), Pick(Counts())});
             if (*rc::gen::inRange(0, 2)) argv.push_back("WITHSCORES");
             return argv;
           }
         }
       }},
      {2, "ZRANGEBYSCORE",
       [=](const GenConfig& c) {
         V argv{"ZRANGEBYSCORE", K(c), Pick({"-inf", "0", "(1", "1"}), Pick({"+inf", "2", "(2", "x"})};
         if (*rc::gen::inRange(0, 2)) argv.push_back("WITHSCORES");
         if (*rc::gen::inRange(0, 3) == 0) argv = Concat(argv, {"LIMIT", Pick(Indexes()), Pick(Counts())});
         return argv;
       }},
      {1, "ZREVRANGE",
       [=](const GenConfig& c) {
         V argv{"ZREVRANGE", K(c), Pick(Indexes()), Pick(Indexes())};
         switch (*rc::gen::inRange(0, 8)) {
           case 0: case 1: case 2: argv.push_back("WITHSCORES"); break;
           case 3: argv.push_back(Pick({"REV", "BYSCORE", "withscores"})); break;
           case 4: argv = Concat(argv, {"LIMIT", Pick(Indexes()), Pick(Counts())}); break;
           default: break;
         }
         return argv;
       }},
      {1, "ZMSCORE", [=](const GenConfig& c) { return Concat({"ZMSCORE", K(c)}, Several(Members(), 1, 3)); }},
      {1, "ZCOUNT",
       [=](const GenConfig& c) {
         return V{"ZCOUNT", K(c), Pick({"-inf", "0", "(1", "1", "1.5", "x"}), Pick({"+inf", "2", "(2", "1", "x"})};
       }},
      {1, "ZRANK", [=](const GenConfig& c) { return V{"ZRANK", K(c), Pick(Members())}; }},
      {1, "ZREVRANK", [=](const GenConfig& c) { return V{"ZREVRANK", K(c), Pick(Members())}; }},
      {2, "ZPOPMIN",
       [=](const GenConfig& c) {
         V argv{"ZPOPMIN", K(c)};
         if (*rc::gen::inRange(0, 2)) argv.push_back(Pick(Counts()));
         if (*rc::gen::inRange(0, 12) == 0) argv.push_back("1");  // too many arguments: syntax error
         return argv;
       }},
      {2, "ZPOPMAX",
       [=](const GenConfig& c) {
         return *rc::gen::inRange(0, 2) ? V{"ZPOPMAX", K(c)} : V{"ZPOPMAX", K(c), Pick(Counts())};
       }},
      // ---- transactions --------------------------------------------------------
      {8, "MULTI", [=](const GenConfig& c) { return V{"MULTI"}; }},
      {12, "EXEC", [=](const GenConfig& c) { return V{"EXEC"}; }},
      {1, "DISCARD", [=](const GenConfig& c) { return V{"DISCARD"}; }},
      {8, "WATCH", [=](const GenConfig& c) { return Concat({"WATCH"}, Several(c.keys, 1, 2)); }},
      {1, "UNWATCH", [=](const GenConfig& c) { return V{"UNWATCH"}; }},
      {1, "RESET", [=](const GenConfig& c) { return V{"RESET"}; }},
      // ---- rejected before running: queue-time errors inside MULTI (T6) ------
      {2, "_arity",
       [=](const GenConfig& c) {
         return PickAny(std::vector<V>{{"GET"}, {"GET", "a", "b"}, {"SET", "a"}, {"EXEC", "x"}, {"WATCH"},
                                    {"MULTI", "x"}, {"HSET", "h", "f"}, {"INCR"}, {"DISCARD", "x"}});
       }},
      {1, "_unknown", [=](const GenConfig& c) { return PickAny(std::vector<V>{{"FOO"}, {"NOSUCHCMD", "a", "b"}}); }},
  };
}

}  // namespace gen_detail

// RapidCheck prints ops with this (found by argument-dependent lookup).
inline void showValue(const Op& op, std::ostream& os) { os << ToString(op); }

// One op: usually a command from a random session, sometimes a clock move.
inline rc::Gen<Op> GenOp(GenConfig config) {
  return rc::gen::exec([config]() -> Op {
    // Commands come first so that shrinking (towards 0) keeps them commands.
    int kind = *rc::gen::inRange(0, 100);
    if (config.clock_ops && kind >= 100 - config.clock_percent) {
      return AdvanceClock{*rc::gen::elementOf(std::vector<int64_t>{500, 1, 100, 499, 501, 1000, 1500, 3000})};
    }
    if (config.active_expire_ops && kind == 100 - config.clock_percent - 1) return ActiveExpire{};
    if (config.disconnect_ops && kind == 100 - config.clock_percent - 2)
      return Disconnect{*rc::gen::inRange(0, config.sessions)};
    static const std::vector<gen_detail::CommandGen> commands = gen_detail::Commands();
    auto weight = [&config](const gen_detail::CommandGen& cg) {
      auto it = config.weights.find(cg.name);
      if (it != config.weights.end()) return it->second;
      return config.only_weighted ? 0 : cg.weight;
    };
    int total = 0;
    for (const auto& cg : commands) total += weight(cg);
    int pick = *rc::gen::inRange(0, total);
    Step step;
    step.session = *rc::gen::inRange(0, config.sessions);
    for (const auto& cg : commands) {
      if (pick < weight(cg)) {
        step.argv = cg.build(config);
        break;
      }
      pick -= weight(cg);
    }
    if (!config.flushall && !step.argv.empty() && step.argv[0] == "FLUSHALL") step.argv = {"DBSIZE"};
    if (config.keep && !config.keep(step.argv)) step.argv = {"PING"};
    // Command names are case-insensitive: sometimes send lower case.
    if (*rc::gen::inRange(0, 10) == 0) {
      for (char& ch : step.argv[0]) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    return step;
  });
}

// A program of up to (RapidCheck size) ops.
inline rc::Gen<Program> GenProgram(GenConfig config) {
  return rc::gen::container<Program>(GenOp(std::move(config)));
}

}  // namespace txlab::program

#endif  // TXLAB_MODEL_MODEL_GEN_H_
