// Programs for the differential test against redis-server
// (serve_differential_test.cc): model/model_gen.h's programs with
//   * expiry made deterministic on two real clocks (see TIME below), and
//   * binary, UTF-8 and long values (WireValues);
//   * BLPOP/BRPOP with 10-20 ms timeouts (never 0), also inside MULTI (T13);
//   * connection commands (CLIENT SETNAME/GETNAME, CONFIG GET/SET), also
//     queued inside MULTI;
//   * EVAL / EVALSHA of generated scripts (script_gen.h, diff_script.h),
//     including error cases (bad numkeys, NOSCRIPT, a failing redis.call,
//     unknown / wrong-arity / not-allowed commands inside the script, error()).
//
// TIME. redis-server and txlab serve run on real clocks that nobody can stop,
// and the model on its own. Every expiry argument is moved into one of three
// classes whose outcome does not depend on when a command runs:
//   * past: absolute times an hour before the program started (EXPIREAT,
//     PEXPIREAT, EXAT, PXAT): the key is deleted at once;
//   * short: PX / PEXPIRE of 1-10 ms; the runner then sleeps 15 ms (after the
//     command, or after the EXEC that ran it) and moves the model's clock as
//     much, so the key is gone on all three before anything else runs;
//   * long: 10^5..10^8 s (or the absolute time that far ahead), never
//     reached; TTL/PTTL of such keys are compared within a tolerance.
// Non-positive and malformed TTLs stay (deleted at once, or an error).
// Not covered against Redis: a key expiring while other commands run (under
// WATCH, T20/T22) — engine_model_test covers that against the model with a
// virtual clock.
#ifndef TXLAB_IMPL_CONFORMANCE_DIFF_GEN_H_
#define TXLAB_IMPL_CONFORMANCE_DIFF_GEN_H_

#include <rapidcheck.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "impl/conformance/script_gen.h"
#include "model/model_gen.h"

namespace txlab::diff {

inline constexpr int64_t kShortSleepMs = 15;
inline constexpr int64_t kTtlToleranceMs = 60'000;

inline bool IsShortMs(const std::string& v) { return v == "1" || v == "2" || v == "5" || v == "10"; }

// True if `argv` may give a key a short TTL (the runner sleeps after it).
inline bool SetsShortTtl(const std::vector<std::string>& argv) {
  const std::string name = UpperCopy(argv[0]);
  if (name == "PEXPIRE") return argv.size() >= 3 && IsShortMs(argv[2]);
  if (name == "SET") {
    for (size_t i = 3; i + 1 < argv.size(); ++i)
      if (UpperCopy(argv[i]) == "PX" && IsShortMs(argv[i + 1])) return true;
  }
  return false;
}

namespace gen_internal {

inline bool PositiveInt(const std::string& s) {
  if (s.empty() || s.size() > 18) return false;
  for (char ch : s)
    if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
  return std::stoll(s) > 0;
}

inline std::string LongSeconds() { return std::to_string(int64_t{1000} * *rc::gen::inRange(100, 100'000)); }
inline std::string LongMillis() { return LongSeconds() + "000"; }
inline std::string ShortMillis() { return *rc::gen::elementOf(std::vector<std::string>{"1", "2", "5", "10"}); }

// An absolute time (unit: 1 s or 1 ms) in the past or far ahead of base_ms.
inline std::string Absolute(int64_t base_ms, bool millis) {
  const bool future = *rc::gen::inRange(0, 2) == 1;
  int64_t v = future ? base_ms + 1000 * std::stoll(LongSeconds()) : base_ms - 3'600'000;
  return std::to_string(millis ? v : v / 1000);
}

}  // namespace gen_internal

// Moves every expiry argument of `argv` into the classes above.
inline std::vector<std::string> DeterministicExpiry(std::vector<std::string> argv, int64_t base_ms) {
  using namespace gen_internal;
  const std::string name = UpperCopy(argv[0]);
  auto relative = [&](std::string& v, bool millis) {
    if (!PositiveInt(v)) return;
    v = millis && *rc::gen::inRange(0, 2) == 0 ? ShortMillis() : (millis ? LongMillis() : LongSeconds());
  };
  if (argv.size() >= 3) {
    if (name == "EXPIRE") relative(argv[2], false);
    if (name == "PEXPIRE") relative(argv[2], true);
    if (name == "EXPIREAT" && PositiveInt(argv[2])) argv[2] = Absolute(base_ms, false);
    if (name == "PEXPIREAT" && PositiveInt(argv[2])) argv[2] = Absolute(base_ms, true);
  }
  if (name == "SET") {
    for (size_t i = 3; i + 1 < argv.size(); ++i) {
      const std::string opt = UpperCopy(argv[i]);
      if (opt == "EX") relative(argv[i + 1], false);
      if (opt == "PX") relative(argv[i + 1], true);
      if (opt == "EXAT" && PositiveInt(argv[i + 1])) argv[i + 1] = Absolute(base_ms, false);
      if (opt == "PXAT" && PositiveInt(argv[i + 1])) argv[i + 1] = Absolute(base_ms, true);
    }
  }
  return argv;
}

// Values that stress the wire: the generator's "abc" becomes, half of the
// time, a binary string (NUL, CR LF, a byte >= 0x80), UTF-8, spaces or a
// 3000-byte string. Keys are left alone.
inline std::vector<std::string> WireValues(std::vector<std::string> argv) {
  for (size_t i = 2; i < argv.size(); ++i) {
    if (argv[i] != "abc" || *rc::gen::inRange(0, 2) == 0) continue;
    argv[i] = *rc::gen::elementOf(std::vector<std::string>{std::string("a\0b", 3), "\r\n", "caf\xc3\xa9 \xff",
                                                           " sp ace ", std::string(3000, 'x')});
  }
  return argv;
}

// Connection-level commands that answer the same on both servers (no CLIENT
// ID, HELLO or INFO: ids and server details differ; no SHUTDOWN), also inside
// MULTI, where Redis queues them. The model has no connections: it does not
// predict them (diff_runner.cc).
inline std::vector<std::string> GenConnectionCommand() {
  using V = std::vector<std::string>;
  return *rc::gen::elementOf(std::vector<V>{
      {"CLIENT", "SETNAME", "conn-a"}, {"CLIENT", "GETNAME"}, {"CLIENT", "SETNAME", "b"}, {"CLIENT", "SETNAME", ""},
      {"CLIENT", "SETNAME", "a b"}, {"CLIENT", "SETNAME"}, {"CLIENT", "NOSUCH"}, {"client", "getname", "x"},
      {"CONFIG", "GET", "lua-time-limit"}, {"CONFIG", "SET", "busy-reply-threshold", "5000"},
      {"CONFIG", "SET", "lua-time-limit", "-1"}, {"CONFIG", "SET", "busy-reply-threshold", "x"},
      {"CONFIG", "SET", "nosuch-param", "1"}, {"CONFIG", "GET"}});
}

// BLPOP / BRPOP with short timeouts (never 0: an empty list would block for
// ever), bad timeouts, several keys. The model has no blocking commands; the
// runner predicts them with LPOP/RPOP (diff_runner.cc).
inline std::vector<std::string> GenBlockingPop(const program::GenConfig& config) {
  using program::gen_detail::Pick;
  std::vector<std::string> argv{*rc::gen::inRange(0, 2) ? "BLPOP" : "BRPOP", Pick(config.keys)};
  if (*rc::gen::inRange(0, 3) == 0) argv.push_back(Pick(config.keys));
  argv.push_back(Pick({"0.01", "0.02", "0.01", "x", "-1"}));
  return argv;
}

inline bool IsBlockingPop(const std::vector<std::string>& argv) {
  const std::string name = UpperCopy(argv.at(0));
  return name == "BLPOP" || name == "BRPOP";
}

inline bool IsConnectionCommand(const std::vector<std::string>& argv) {
  const std::string name = UpperCopy(argv.at(0));
  return name == "CLIENT" || name == "CONFIG";
}

// One op: model_gen's op with deterministic expiry, or (eval_percent of the
// time) an EVAL/EVALSHA from a random session, or (2% each) a connection
// command or a BLPOP/BRPOP.
inline rc::Gen<program::Op> GenDiffOp(program::GenConfig config, int eval_percent) {
  return rc::gen::exec([config, eval_percent]() -> program::Op {
    if (*rc::gen::inRange(0, 100) >= 100 - eval_percent) {  // shrinks away from EVAL
      program::Step step;
      step.session = *rc::gen::inRange(0, config.sessions);
      step.argv = GenEval(config);
      return step;
    }
    const int other = *rc::gen::inRange(0, 100);
    if (other >= 96) {
      program::Step step;
      step.session = *rc::gen::inRange(0, config.sessions);
      step.argv = other >= 98 ? GenConnectionCommand() : GenBlockingPop(config);
      return step;
    }
    program::Op op = *program::GenOp(config);
    if (auto* step = std::get_if<program::Step>(&op))
      step->argv = WireValues(DeterministicExpiry(step->argv, config.base_time_ms));
    return op;
  });
}

// RapidCheck scales every inRange by the size (a size-10 program would only
// ever pick among the first tenth of the commands), so each op is generated
// at the nominal size 100: every choice uniform, whatever the program length.
inline rc::Gen<program::Program> GenDiffProgram(program::GenConfig config, int eval_percent) {
  return rc::gen::container<program::Program>(rc::gen::resize(100, GenDiffOp(std::move(config), eval_percent)));
}

}  // namespace txlab::diff

#endif  // TXLAB_IMPL_CONFORMANCE_DIFF_GEN_H_
