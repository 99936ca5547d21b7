// The differential runner: one program (diff_gen.h) sent over RESP to a real
// redis-server AND to `txlab serve`, one connection per program session on
// each, and run on the reference model (KeyspaceModel, with diff_script.h for
// scripts). Every reply of txlab serve and of the model is compared with
// redis-server's:
//   * canonically (model/reply_order.h: unordered replies sorted), errors by
//     their full text (code and message);
//   * TTL/PTTL of long TTLs (diff_gen.h) within kTtlToleranceMs;
//   * txlab vs redis-server: a script reply that differs exactly as one entry
//     of lua_exclusions.h says is counted under that entry, not a divergence;
//   * model vs redis-server: script replies the model does not predict (the
//     excluded forms) are counted as unpredicted; script errors are compared
//     up to " script: <sha>, on @user_script:<line>." (the model has no sha).
// At the end the whole keyspace of all 16 databases (program::DumpState) must
// agree as well.
#ifndef TXLAB_IMPL_CONFORMANCE_DIFF_RUNNER_H_
#define TXLAB_IMPL_CONFORMANCE_DIFF_RUNNER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "impl/targets/target_url.h"
#include "model/model_program.h"
#include "model/reply.h"

namespace txlab::diff {

struct Stats {
  int64_t programs = 0;
  int64_t commands = 0;          // Steps sent to each server
  int64_t eval_commands = 0;     // EVAL / EVALSHA among them
  int64_t exec_commands = 0;     // EXEC that ran (array replies)
  int64_t short_ttl_sleeps = 0;  // 15 ms sleeps after short TTLs
  int64_t ttl_tolerated = 0;     // TTL/PTTL replies equal only within the tolerance
  int64_t model_compared = 0;    // replies the model predicted and matched
  int64_t model_unpredicted = 0; // replies the model did not predict
  int64_t bylex_unspecified = 0; // txlab replies to ZRANGE BYLEX over differing scores (unspecified), not compared
  std::map<std::string, int64_t> excluded;  // lua_exclusions.h id -> replies
};

// Generous timeouts: a loaded CI machine under ASan must not turn a slow
// reply into a transport failure.
inline NetOptions DiffNetOptions() { return NetOptions{.connect_timeout_ms = 10'000, .timeout_ms = 60'000}; }

struct Endpoints {
  int redis_port = 0;
  int txlab_port = 0;
  // Sessions whose connections speak RESP3 (HELLO 3 when opened, on both
  // servers). Their replies must match redis-server's in RESP3 type too
  // (double, map, bool, null); the model is compared in RESP2 shape.
  std::set<int> resp3_sessions;
  // Test-only: changes txlab's reply before comparison (to show that the
  // runner catches and shrinks a divergence).
  std::function<Reply(const std::vector<std::string>& argv, Reply)> corrupt_txlab;
};

// Runs `p` (the servers must be empty: FLUSHALL, SCRIPT FLUSH) with the model
// starting at `base_ms` (redis-server's clock). Returns the first divergence
// as text, or nothing; a transport failure is reported in *io_error.
std::optional<std::string> RunProgram(const Endpoints& ep, const program::Program& p, int64_t base_ms, Stats* stats,
                                      std::string* io_error);

// The program as redis-cli input, one line per op, prefixed by the
// connection: "[c1] SET a 1 PX 5", "[c0] (disconnect)", with the runner's
// sleeps after short TTLs shown as "# sleep 15 ms" and a first line naming
// the RESP3 connections.
std::string ToRedisCli(const program::Program& p, const std::set<int>& resp3_sessions = {});

// A reply in redis-cli style with its RESP type: `"a"  [verbatim]`.
std::string Show(const Reply& r);

// redis-cli quoting of one argument ("..." with \n, \", \\, \xHH escapes).
std::string CliQuote(const std::string& a);

}  // namespace txlab::diff

#endif  // TXLAB_IMPL_CONFORMANCE_DIFF_RUNNER_H_
