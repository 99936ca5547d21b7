// `txlab check HISTORY`: runs the applicable checkers on a recorded history.
//
// Which checkers apply is decided from the operations' :f, unless --checker
// names them:
//   :txn                     isolation (Elle's method; list-append or rw-register)
//   :transfer + map :read    bank invariant (total conserved, no overdraft)
//   :incr / :add             counter invariant, and linearizability (counter model)
//   anything else            linearizability (ours; register, cas, kv, mutex, ...)
// `--checker porcupine` runs the Go porcupine CLI on the same file, as the
// reference for the linearizability verdict. When only linearizable and/or
// porcupine are asked for, no History is built: both read the file
// themselves (ours streams it, checkers/linearizability/check_history.h).
//
// Exit status: 0 every verdict ok, 1 some verdict illegal, 2 bad command line,
// 3 unreadable or malformed history (the message names the line), 4 some
// verdict unknown (a budget ran out) and none illegal.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "checkers/common/verdict.h"
#include "cli/command.h"
#include "model/history_io.h"

#ifdef TXLAB_HAVE_LINEARIZABILITY
#include "checkers/linearizability/check_history.h"
#define TXLAB_CHECK_LIN 1
#endif
#include "checkers/invariants/bank.h"
#include "checkers/invariants/counter.h"
#ifdef TXLAB_HAVE_ISOLATION
#include "checkers/isolation/isolation.h"
#endif

namespace txlab {
namespace {

constexpr int kExitIllegal = 1;
constexpr int kExitBadInput = 3;
constexpr int kExitUnknown = 4;

struct CheckArgs {
  std::string path;
  std::vector<std::string> checkers;  // empty: decide from the history
  std::string lin_model;
  std::string isolation_model = "strict-serializable";
  int64_t expected_total = -1;  // bank: -1 takes the first :ok read's total
  double timeout_s = 60;
  std::string html;
  bool witness = false;
  bool verbose = false;
};

// [[:append k v] [:r k nil] ...]: a transaction's value (Elle's histories
// may leave out :f).
bool LooksLikeTxn(const Edn& value) {
  if (!value.is_vector() || value.as_vector().empty()) return false;
  for (const Edn& mop : value.as_vector()) {
    if (!mop.is_vector() || mop.as_vector().empty() || !mop.as_vector()[0].is_keyword()) return false;
  }
  return true;
}

// The checkers that apply to `h`, from the :f of its operations.
std::vector<std::string> ApplicableCheckers(const History& h) {
  std::set<std::string> fs;
  for (const Op& op : h) fs.insert(op.f.empty() && LooksLikeTxn(op.value) ? "txn" : op.f);
  if (fs.count("txn")) return {"isolation"};
  if (fs.count("transfer")) return {"bank"};
  if (fs.count("incr") || fs.count("add")) return {"counter", "linearizable"};
  return {"linearizable"};
}

// The total of the first :ok read whose value is a map of integer balances.
int64_t FirstReadTotal(const History& h) {
  for (const Op& op : h) {
    if (op.type != OpType::kOk || op.f != "read" || !op.value.is_map()) continue;
    int64_t total = 0;
    for (const auto& [k, v] : op.value.as_map()) {
      if (!v.is_int()) return -1;
      total += v.as_int();
    }
    return total;
  }
  return -1;
}

Verdict Unavailable(const std::string& name, const std::string& why) {
  Verdict v;
  v.checker = name;
  v.outcome = Verdict::Outcome::kUnknown;
  v.summary = why;
  return v;
}

// Checkers that read the history file themselves. When only these are
// asked for, txlab check builds no History: ours streams keyed single-key
// and :txn histories straight into compact ops (check_history.h), so a
// history of millions of ops is checked in tens of MiB.
bool ReadTheFileThemselves(const std::vector<std::string>& checkers) {
  if (checkers.empty()) return false;
  return std::all_of(checkers.begin(), checkers.end(),
                     [](const std::string& c) { return c == "linearizable" || c == "porcupine"; });
}

// h is null when the checkers read the file themselves (see above).
Verdict RunOne(const std::string& name, const History* h, const CheckArgs& a) {
  if (name == "linearizable") {
#ifdef TXLAB_CHECK_LIN
    LinOptions o;
    o.model = a.lin_model;
    o.time_budget_s = a.timeout_s;
    o.want_witness = a.witness;
    o.cas_fail_is_mismatch = a.path.size() > 4 && a.path.ends_with(".log");
    return h == nullptr ? CheckLinearizableFile(a.path, o) : CheckLinearizable(*h, o);
#else
    return Unavailable(name, "linearizability checker not built");
#endif
  }
  if (name == "porcupine") {
#ifdef TXLAB_CHECK_LIN
    PorcupineOptions o;
    o.timeout_s = a.timeout_s;
    o.model = a.lin_model;
    o.html = a.html;
    return RunPorcupine(a.path, o);
#else
    return Unavailable(name, "porcupine bridge not built");
#endif
  }
  if (name == "bank") {
    int64_t total = a.expected_total >= 0 ? a.expected_total : FirstReadTotal(*h);
    if (total < 0) return Unavailable("bank-invariant", "no :ok read with integer balances to take the total from");
    return CheckBank(*h, total);
  }
  if (name == "counter") return CheckCounter(*h);
#ifdef TXLAB_HAVE_ISOLATION
  if (name == "isolation") {
    IsolationOptions o;
    o.consistency_model = a.isolation_model;
    return CheckIsolation(*h, o);
  }
#endif
  return Unavailable(name, "checker not built");
}

void Print(const Verdict& v, bool verbose) {
  std::printf("%-22s %-8s %s\n", v.checker.c_str(), OutcomeName(v.outcome), v.summary.c_str());
  if (!v.models_ok.empty() || !v.models_violated.empty()) {
    std::string ok, bad;
    for (const auto& m : v.models_ok) ok += (ok.empty() ? "" : ", ") + m;
    for (const auto& m : v.models_violated) bad += (bad.empty() ? "" : ", ") + m;
    if (!ok.empty()) std::printf("  satisfies: %s\n", ok.c_str());
    if (!bad.empty()) std::printf("  violates:  %s\n", bad.c_str());
  }
  const size_t limit = verbose ? v.details.size() : std::min<size_t>(v.details.size(), 3);
  for (size_t i = 0; i < limit; ++i) {
    std::string d = v.details[i];
    std::string indented = "  ";
    for (char c : d) {
      indented += c;
      if (c == '\n') indented += "  ";
    }
    std::printf("%s\n", indented.c_str());
  }
  if (limit < v.details.size()) std::printf("  ... %zu more (--verbose)\n", v.details.size() - limit);
}

int RunCheck(const CheckArgs& a) {
  History h;
  const bool from_file = ReadTheFileThemselves(a.checkers);
  if (!from_file) {
    ParseError err = ReadHistoryFile(a.path, &h);
    if (err.ok) err = ValidateHistory(h);
    if (!err.ok) {
      std::fprintf(stderr, "txlab check: %s: %s\n", a.path.c_str(), err.ToString().c_str());
      return kExitBadInput;
    }
  }
  std::vector<std::string> names = a.checkers.empty() ? ApplicableCheckers(h) : a.checkers;
  if (from_file) std::printf("%s\n", a.path.c_str());
  else std::printf("%s: %zu operations\n", a.path.c_str(), h.size());
  bool illegal = false, unknown = false;
  for (const std::string& name : names) {
    Verdict v = RunOne(name, from_file ? nullptr : &h, a);
    if (from_file && v.summary == "bad input") {
      // The checker read the file and named the problem ("<path>: line N: ...").
      std::fprintf(stderr, "txlab check: %s\n", v.details.empty() ? a.path.c_str() : v.details[0].c_str());
      return kExitBadInput;
    }
    Print(v, a.verbose);
    illegal |= v.illegal();
    unknown |= v.outcome == Verdict::Outcome::kUnknown;
  }
  if (illegal) return kExitIllegal;
  return unknown ? kExitUnknown : 0;
}

}  // namespace

Command AddCheckCommand(CLI::App& txlab) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* app = txlab.add_subcommand(
      "check",
      "Check a recorded history (EDN, JSON or Jepsen log). Exit: 0 ok, 1 illegal, 2 usage, 3 bad input, 4 unknown");
  app->add_option("history", args->path, "History file: Jepsen/Elle EDN, elle-cli JSON, or a Jepsen log")
      ->required()
      ->check(CLI::ExistingFile);
  app->add_option("--checker", args->checkers,
                  "Checkers to run (default: chosen from the operations' :f): "
                  "linearizable, porcupine, isolation, bank, counter")
      ->delimiter(',')
      ->check(CLI::IsMember({"linearizable", "porcupine", "isolation", "bank", "counter"}));
  app->add_option("--model", args->lin_model,
                  "Linearizability model (default: from :f): register, cas-register, counter, kv, list-append, "
                  "mutex, txn");
  app->add_option("--consistency-model", args->isolation_model, "Isolation: the model to check against")
      ->check(CLI::IsMember({"strict-serializable", "serializable", "snapshot-isolation", "repeatable-read",
                             "read-committed", "read-uncommitted"}))
      ->capture_default_str();
  app->add_option("--expected-total", args->expected_total,
                  "Bank: the conserved total (default: the total of the first :ok read)")
      ->check(CLI::NonNegativeNumber);
  app->add_option("--timeout", args->timeout_s, "Time budget per checker, seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app->add_option("--html", args->html, "Porcupine: write its HTML visualization here");
  app->add_flag("--witness", args->witness, "Linearizability: print a witness order when ok");
  app->add_flag("-v,--verbose", args->verbose, "Print every detail of every verdict");
  return Command{app, [args] { return RunCheck(*args); }};
}

}  // namespace txlab
