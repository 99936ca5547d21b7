#include "checkers/linearizability/check_history.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>

#include "checkers/linearizability/compile.h"
#include "checkers/linearizability/explain.h"
#include "checkers/linearizability/fast_paths.h"
#include "checkers/linearizability/minimise.h"
#include "checkers/linearizability/partition_state.h"
#include "checkers/linearizability/search.h"
#include "checkers/linearizability/stream_reader.h"
#include "model/history_io.h"

namespace txlab {

namespace {

using Clock = std::chrono::steady_clock;
using lin::Outcome;

std::string KeyName(const lin::Partition& p) {
  if (p.keys.size() == 1) return p.keys[0].is_nil() ? "the register" : "key " + p.keys[0].ToEdn();
  std::string s = "keys";
  for (size_t i = 0; i < p.keys.size() && i < 8; ++i) s += " " + p.keys[i].ToEdn();
  if (p.keys.size() > 8) s += " ... (" + std::to_string(p.keys.size()) + " keys)";
  return s;
}


// The per-partition loop shared by the History path and the streaming path.
// get(i, &values) returns partition i (materialized on demand: the streaming
// path builds one at a time). h is the History for explanations and
// witnesses; without one (streaming), an illegal partition ends the loop
// with outcome kIllegal and no details, and the caller re-checks through
// the History path to explain it.
Verdict CheckPartitions(size_t count, const std::function<size_t(size_t)>& size_of,
                        const std::function<const lin::Partition&(size_t, lin::ValueStore**)>& get,
                        const std::string& model, size_t dropped_fail, const LinOptions& options, const History* h,
                        Clock::time_point start) {
  Verdict v;
  v.checker = "linearizable";
  const Clock::time_point deadline = start + std::chrono::microseconds(static_cast<int64_t>(options.time_budget_s * 1e6));

  // Largest partitions last: the small ones decide quickly, and an illegal
  // small one ends the check early.
  std::vector<size_t> order(count);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return size_of(a) < size_of(b); });

  // Leave the minimiser its share of the budget.
  const Clock::time_point search_deadline =
      options.minimise ? start + std::chrono::microseconds(static_cast<int64_t>(
                                     std::max(options.time_budget_s - options.minimise_budget_s,
                                              options.time_budget_s * 0.5) * 1e6))
                       : deadline;
  size_t decided = 0, ops_total = 0;
  std::vector<std::string> unknown_notes;
  std::string witness;
  for (size_t idx : order) {
    lin::ValueStore* values = nullptr;
    const lin::Partition& p = get(idx, &values);
    ops_total += p.ops.size();
    lin::SearchOptions so;
    so.deadline = search_deadline;
    so.max_cache_bytes = options.memory_budget_bytes;
    so.want_order = options.want_witness;
    lin::SearchResult r;
    if (!options.fast_paths || !lin::TryFastPath(p, options.want_witness, &r)) r = lin::Search(p, values, so);
    if (r.outcome == Outcome::kOk) {
      ++decided;
      if (options.want_witness && h != nullptr) {
        lin::PartitionState st(p, values);
        witness += KeyName(p) + ":\n";
        for (uint32_t i : r.order) {
          witness += "  :index " + std::to_string((*h)[p.ops[i].invoke_index].index) + "  " + st.DescribeOp(p.ops[i]) + "\n";
        }
      }
      continue;
    }
    if (r.outcome == Outcome::kUnknown) {
      unknown_notes.push_back(KeyName(p) + " (" + std::to_string(p.ops.size()) + " ops): " + r.why_unknown + " after " +
                              std::to_string(r.steps) + " steps, " + std::to_string(r.states) + " states, at most " +
                              std::to_string(r.max_depth) + " ops linearized");
      continue;
    }
    // Illegal.
    v.outcome = Verdict::Outcome::kIllegal;
    if (h == nullptr) return v;
    lin::Partition small = p;
    if (options.minimise) {
      small = lin::Minimise(p, values, deadline, options.memory_budget_bytes);
    }
    v.summary = "not linearizable: " + KeyName(p) + " (" + std::to_string(small.ops.size()) + " of " +
                std::to_string(p.ops.size()) + " ops suffice)";
    std::string d = "Not linearizable (" + model + " model) on " + KeyName(p) + ". ";
    d += small.ops.size() < p.ops.size()
             ? "A smallest failing sub-history found, " + std::to_string(small.ops.size()) + " of " +
                   std::to_string(p.ops.size()) + " ops (ops pending at its end shown as indeterminate):\n"
             : "The failing partition:\n";
    if (small.ops.size() <= 64) {
      d += lin::ExplainIllegal(small, values, *h);
    } else {
      d += lin::DescribeOps(small, values, *h);
    }
    v.details.push_back(d);
    return v;
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  char stats[160];
  std::snprintf(stats, sizeof(stats), "%zu ops in %zu partitions, %zu :fail dropped, %.3f s", ops_total, count,
                dropped_fail, secs);
  if (!unknown_notes.empty()) {
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "unknown: " + std::to_string(unknown_notes.size()) + " of " + std::to_string(count) +
                " partitions undecided";
    std::string d = "Undecided (" + std::string(stats) + "; " + std::to_string(decided) + " partitions linearizable):\n";
    for (const std::string& n : unknown_notes) d += "  " + n + "\n";
    v.details.push_back(d);
    return v;
  }
  v.outcome = Verdict::Outcome::kOk;
  v.summary = "ok";
  v.details.push_back("Linearizable (" + model + " model): " + stats);
  if (options.want_witness) v.details.push_back("Witness linearization:\n" + witness);
  return v;
}

Verdict BadInput(const std::string& path, const std::string& why) {
  Verdict v;
  v.checker = "linearizable";
  v.outcome = Verdict::Outcome::kUnknown;
  v.summary = "bad input";
  v.details.push_back(path + ": " + why);
  return v;
}

bool IsJepsenLog(const std::string& path) { return path.size() > 4 && path.compare(path.size() - 4, 4, ".log") == 0; }

}  // namespace

Verdict CheckLinearizable(const History& h, const LinOptions& options) {
  const Clock::time_point start = Clock::now();
  lin::Compiled c;
  lin::CompileOptions co;
  co.model = options.model;
  co.cas_fail_is_mismatch = options.cas_fail_is_mismatch;
  co.keyed = options.keyed < 0 ? lin::CompileOptions::Keyed::kAuto
             : options.keyed ? lin::CompileOptions::Keyed::kYes
                             : lin::CompileOptions::Keyed::kNo;
  std::string err = lin::Compile(h, co, &c);
  if (!err.empty()) {
    Verdict v;
    v.checker = "linearizable";
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "cannot check: " + err;
    v.details.push_back(err);
    return v;
  }
  return CheckPartitions(
      c.partitions.size(), [&](size_t i) { return c.partitions[i].ops.size(); },
      [&](size_t i, lin::ValueStore** vs) -> const lin::Partition& {
        *vs = c.values.get();
        return c.partitions[i];
      },
      c.model, c.dropped_fail, options, &h, start);
}

namespace {

bool CanStream(const LinOptions& options) {
  return options.model.empty() && options.keyed < 0 && !options.cas_fail_is_mismatch && !options.want_witness;
}

// The streaming path (stream_reader.h). Returns false, with the reason in
// *why, when the file must go through the History path instead: a shape the
// streaming reader does not read, bad input (the generic reader names the
// first problem exactly as it always has), or an illegal partition (the
// History path minimises and explains it).
bool CheckStreamed(const std::string& path, const LinOptions& options, Verdict* out, FileCheckStats* stats) {
  const Clock::time_point start = Clock::now();
  const std::clock_t cpu0 = std::clock();
  lin::StreamedHistory sh;
  lin::StreamStatus s = lin::StreamHistoryFile(path, &sh);
  if (!s.ok()) {
    stats->fallback_reason = (s.kind == lin::StreamStatus::Kind::kBadInput ? "bad input at line " : "unsupported at line ") +
                             std::to_string(s.line) + ": " + s.reason;
    return false;
  }
  stats->read_s = std::chrono::duration<double>(Clock::now() - start).count();
  stats->read_cpu_s = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  // One partition at a time, in memory reused from one to the next.
  lin::Partition current;
  lin::ValueStore values;
  auto& keys = sh.keys();
  Verdict v;
  if (!sh.txns.empty()) {
    // Transactions: partitions of keys joined by union-find.
    const std::vector<lin::StreamedHistory::TxnGroup> groups = sh.GroupTxns();
    v = CheckPartitions(
        groups.size(), [&](size_t i) { return groups[i].txns.size(); },
        [&](size_t i, lin::ValueStore** vs) -> const lin::Partition& {
          values.Clear();
          sh.MaterializeTxnGroup(groups[i], &values, &current);
          lin::FinishPartition(&current, &values, true);
          *vs = &values;
          return current;
        },
        sh.model, sh.dropped_fail, options, nullptr, start);
  } else {
    // Compile makes partitions of the keys its kept ops touch: not of keys
    // seen only in :fail ops or crashed reads.
    std::vector<uint32_t> live;
    std::vector<size_t> sizes;
    for (uint32_t k = 0; k < keys.size(); ++k) {
      size_t n = 0;
      for (const lin::StreamedOp& op : keys[k].ops) n += !(op.flags & lin::StreamedOp::kDropped);
      if (n == 0) continue;
      live.push_back(k);
      sizes.push_back(n);
    }
    v = CheckPartitions(
        live.size(), [&](size_t i) { return sizes[i]; },
        [&](size_t i, lin::ValueStore** vs) -> const lin::Partition& {
          values.Clear();
          sh.MaterializePartition(live[i], &values, &current);
          std::vector<lin::StreamedOp>().swap(keys[live[i]].ops);  // checked once: no longer needed
          std::string().swap(keys[live[i]].text);
          lin::FinishPartition(&current, &values, true);
          *vs = &values;
          return current;
        },
        sh.model, sh.dropped_fail, options, nullptr, start);
  }
  if (v.illegal()) {
    stats->fallback_reason = "illegal: re-checked through the History to explain it";
    return false;
  }
  stats->streamed = true;
  *out = std::move(v);
  return true;
}

}  // namespace

Verdict CheckLinearizableFile(const std::string& path, LinOptions options, FileCheckStats* stats) {
  FileCheckStats local;
  if (stats == nullptr) stats = &local;
  *stats = FileCheckStats();
  if (IsJepsenLog(path)) options.cas_fail_is_mismatch = true;
  const Clock::time_point start = Clock::now();
  Verdict v;
  if (CanStream(options) && CheckStreamed(path, options, &v, stats)) return v;
  if (!CanStream(options)) stats->fallback_reason = "options need the History path";
  // Whatever the streaming path spent counts against the budget.
  options.time_budget_s = std::max(0.0, options.time_budget_s - std::chrono::duration<double>(Clock::now() - start).count());
  const Clock::time_point t0 = Clock::now();
  const std::clock_t cpu0 = std::clock();
  History h;
  ParseError e = ReadHistoryFile(path, &h);
  stats->read_s = std::chrono::duration<double>(Clock::now() - t0).count();
  stats->read_cpu_s = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  if (!e.ok) return BadInput(path, e.ToString());
  return CheckLinearizable(h, options);
}

std::string FindPorcupineBinary() {
  if (const char* env = std::getenv("TXLAB_PORCUPINE")) {
    if (std::filesystem::exists(env)) return env;
  }
#ifdef TXLAB_SOURCE_DIR
  std::filesystem::path p = std::filesystem::path(TXLAB_SOURCE_DIR) / "checkers" / "porcupine" / "txlab-porcupine";
  if (std::filesystem::exists(p)) return p.string();
#endif
  return "";
}

Verdict RunPorcupine(const std::string& history_path, const PorcupineOptions& options) {
  Verdict v;
  v.checker = "porcupine";
  std::string bin = options.binary.empty() ? FindPorcupineBinary() : options.binary;
  if (bin.empty()) {
    v.summary = "porcupine CLI not built (cd checkers/porcupine && go build -o txlab-porcupine .)";
    v.details.push_back(v.summary);
    return v;
  }
  std::vector<std::string> args = {bin, "--timeout", std::to_string(options.timeout_s) + "s"};
  if (!options.model.empty()) args.insert(args.end(), {"--model", options.model});
  if (!options.html.empty()) args.insert(args.end(), {"--html", options.html});
  args.push_back(history_path);

  int pipefd[2];
  if (pipe(pipefd) != 0) {
    v.summary = "pipe failed";
    return v;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], 1);
    dup2(pipefd[1], 2);
    close(pipefd[0]);
    close(pipefd[1]);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipefd[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(pipefd[0], buf, sizeof(buf))) > 0) out.append(buf, n);
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  switch (code) {
    case 0: v.outcome = Verdict::Outcome::kOk; v.summary = "ok"; break;
    case 1: v.outcome = Verdict::Outcome::kIllegal; v.summary = "not linearizable"; break;
    case 2: v.summary = "unknown (porcupine timed out)"; break;
    case 3: v.summary = "bad input"; break;
    default: v.summary = "porcupine CLI failed (exit " + std::to_string(code) + ")"; break;
  }
  v.details.push_back(out);
  return v;
}

}  // namespace txlab
