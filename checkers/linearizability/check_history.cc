#include "checkers/linearizability/check_history.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "checkers/linearizability/compile.h"
#include "checkers/linearizability/explain.h"
#include "checkers/linearizability/fast_paths.h"
#include "checkers/linearizability/minimise.h"
#include "checkers/linearizability/partition_state.h"
#include "checkers/linearizability/search.h"
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

Clock::time_point After(double seconds) {
  return Clock::now() + std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
}

}  // namespace

Verdict CheckLinearizable(const History& h, const LinOptions& options) {
  Verdict v;
  v.checker = "linearizable";
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = After(options.time_budget_s);

  lin::Compiled c;
  lin::CompileOptions co;
  co.model = options.model;
  co.cas_fail_is_mismatch = options.cas_fail_is_mismatch;
  co.keyed = options.keyed < 0 ? lin::CompileOptions::Keyed::kAuto
             : options.keyed ? lin::CompileOptions::Keyed::kYes
                             : lin::CompileOptions::Keyed::kNo;
  std::string err = lin::Compile(h, co, &c);
  if (!err.empty()) {
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "cannot check: " + err;
    v.details.push_back(err);
    return v;
  }

  // Largest partitions last: the small ones decide quickly, and an illegal
  // small one ends the check early.
  std::vector<size_t> order(c.partitions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return c.partitions[a].ops.size() < c.partitions[b].ops.size(); });

  // Leave the minimiser its share of the budget.
  const Clock::time_point search_deadline =
      options.minimise ? After(std::max(options.time_budget_s - options.minimise_budget_s, options.time_budget_s * 0.5))
                       : deadline;
  size_t decided = 0, ops_total = 0;
  std::vector<std::string> unknown_notes;
  std::string witness;
  for (size_t idx : order) {
    const lin::Partition& p = c.partitions[idx];
    ops_total += p.ops.size();
    lin::SearchOptions so;
    so.deadline = search_deadline;
    so.max_cache_bytes = options.memory_budget_bytes;
    so.want_order = options.want_witness;
    lin::SearchResult r;
    if (!options.fast_paths || !lin::TryFastPath(p, options.want_witness, &r)) r = lin::Search(p, c.values.get(), so);
    if (r.outcome == Outcome::kOk) {
      ++decided;
      if (options.want_witness) {
        lin::PartitionState st(p, c.values.get());
        witness += KeyName(p) + ":\n";
        for (uint32_t i : r.order) {
          witness += "  :index " + std::to_string(h[p.ops[i].invoke_index].index) + "  " + st.DescribeOp(p.ops[i]) + "\n";
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
    lin::Partition small = p;
    if (options.minimise) {
      small = lin::Minimise(p, c.values.get(), deadline, options.memory_budget_bytes);
    }
    v.summary = "not linearizable: " + KeyName(p) + " (" + std::to_string(small.ops.size()) + " of " +
                std::to_string(p.ops.size()) + " ops suffice)";
    std::string d = "Not linearizable (" + c.model + " model) on " + KeyName(p) + ". ";
    d += small.ops.size() < p.ops.size()
             ? "A smallest failing sub-history found, " + std::to_string(small.ops.size()) + " of " +
                   std::to_string(p.ops.size()) + " ops (ops pending at its end shown as indeterminate):\n"
             : "The failing partition:\n";
    if (small.ops.size() <= 64) {
      d += lin::ExplainIllegal(small, c.values.get(), h);
    } else {
      d += lin::DescribeOps(small, c.values.get(), h);
    }
    v.details.push_back(d);
    return v;
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  char stats[160];
  std::snprintf(stats, sizeof(stats), "%zu ops in %zu partitions, %zu :fail dropped, %.3f s", ops_total,
                c.partitions.size(), c.dropped_fail, secs);
  if (!unknown_notes.empty()) {
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "unknown: " + std::to_string(unknown_notes.size()) + " of " + std::to_string(c.partitions.size()) +
                " partitions undecided";
    std::string d = "Undecided (" + std::string(stats) + "; " + std::to_string(decided) + " partitions linearizable):\n";
    for (const std::string& n : unknown_notes) d += "  " + n + "\n";
    v.details.push_back(d);
    return v;
  }
  v.outcome = Verdict::Outcome::kOk;
  v.summary = "ok";
  v.details.push_back("Linearizable (" + c.model + " model): " + stats);
  if (options.want_witness) v.details.push_back("Witness linearization:\n" + witness);
  return v;
}

Verdict CheckLinearizableFile(const std::string& path, LinOptions options) {
  History h;
  ParseError e = ReadHistoryFile(path, &h);
  if (!e.ok) {
    Verdict v;
    v.checker = "linearizable";
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "bad input";
    v.details.push_back(path + ": " + e.ToString());
    return v;
  }
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".log") == 0) options.cas_fail_is_mismatch = true;
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
