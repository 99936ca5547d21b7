// The linearizability checker's entry points, for `txlab check` and tests.
//
//   Verdict v = CheckLinearizable(history, LinOptions{});
//
// picks the model from the ops' :f (compile.h lists them: register, cas
// register, counter, porcupine's kv strings, list append, mutex, and
// transactions over several keys), splits the history into partitions of
// keys (union-find over the keys each op touches), and runs the WGL search
// (search.h) on each. Verdict:
//   ok       every partition linearizable; details[0] is a witness order
//            when LinOptions::want_witness
//   illegal  some partition is not; details hold, for the first such
//            partition, the smallest failing sub-history the minimiser found
//            within its budget (ops, intervals, the longest linearization
//            with the state before each step, and why nothing fits next)
//   unknown  time or memory budget exhausted, or the history cannot be
//            checked (unknown :f); details say which partitions were
//            decided and how far the others got. Never an OOM: the memo
//            table is capped by memory_budget_bytes.
// Indeterminate ops (:info, or no completion) may take effect at any time
// after their call, or never; :fail ops are dropped.
//
// RunPorcupine runs the Go porcupine CLI (checkers/porcupine) on a file and
// maps its exit code (0 ok, 1 illegal, 2 unknown, 3 bad input) to a Verdict.
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_CHECK_HISTORY_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_CHECK_HISTORY_H_

#include <cstddef>
#include <string>

#include "checkers/common/verdict.h"
#include "model/history.h"

namespace txlab {

struct LinOptions {
  // "" picks from :f; else "register", "cas-register", "counter", "kv",
  // "list-append", "mutex" or "txn".
  std::string model;
  // porcupine's reading of Jepsen etcd logs: a :fail cas means the compare
  // failed (an observation), not "did not take effect". On for etcd logs
  // to reproduce porcupine's verdicts (CheckLinearizableFile sets it for
  // Jepsen-log input).
  bool cas_fail_is_mismatch = false;
  // Values are jepsen.independent [key value] tuples: -1 detect, 0 no, 1 yes.
  int keyed = -1;
  double time_budget_s = 60;                      // whole check, minimiser included
  size_t memory_budget_bytes = size_t{2} << 30;   // memo tables (largest partition)
  bool want_witness = false;
  bool fast_paths = true;                         // fast_paths.h; off to force the search
  bool minimise = true;
  double minimise_budget_s = 10;                  // within time_budget_s
};

Verdict CheckLinearizable(const History& h, const LinOptions& options);

// What CheckLinearizableFile did, for the CLI and tests.
struct FileCheckStats {
  bool streamed = false;        // decided on the streaming path (no History built)
  std::string fallback_reason;  // why not, when not
  double read_s = 0;            // reading (streaming: reading and compacting) the file, wall seconds
  double read_cpu_s = 0;        // the same in process CPU seconds
};

// Reads the file and checks it. Keyed single-key histories (register, cas,
// counter, kv strings, list append over [k v] tuples) and :txn histories are
// read by the streaming reader (stream_reader.h) straight into compact ops
// and checked one partition at a time, without a History; everything else, and
// illegal verdicts (to minimise and explain them), goes through
// ReadHistoryFile and CheckLinearizable. Both paths give the same verdict.
// Bad input gives kUnknown with summary "bad input" and the parse error
// (with its line) in details. Jepsen logs (.log) get cas_fail_is_mismatch.
Verdict CheckLinearizableFile(const std::string& path, LinOptions options, FileCheckStats* stats = nullptr);

struct PorcupineOptions {
  std::string binary;         // "" = FindPorcupineBinary()
  double timeout_s = 60;
  std::string model;          // passed as --model when set
  std::string html;           // --html out.html when set
};

// checkers/porcupine/txlab-porcupine under the source tree (TXLAB_SOURCE_DIR),
// or $TXLAB_PORCUPINE; "" if neither exists.
std::string FindPorcupineBinary();

Verdict RunPorcupine(const std::string& history_path, const PorcupineOptions& options);

}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_CHECK_HISTORY_H_
