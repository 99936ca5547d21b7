// `txlab run`: runs workloads × strategies on a runner, checks every history,
// prints one comparison table and writes a results folder.
//
//   txlab run --workload bank --strategy lua,watch,lock,naive,multi-no-watch
//             --clients 8 --duration 5s --seed 42 --runner sim
//
// With no flags: bank and list-append on every strategy, simulated, a few
// thousand txns each: the negative controls fail their checks, the others
// pass, in well under a minute.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "cli/checks.h"
#include "cli/run_args.h"
#include "cli/command.h"
#include "cli/run_table.h"
#include "workloads/experiment.h"
#include "workloads/result_writer.h"
#ifdef TXLAB_HAVE_TARGETS
#include "impl/targets/make_target.h"
#endif

namespace txlab {
namespace {

const CLI::Validator kDuration(
    [](std::string& s) -> std::string {
      return ParseDurationNs(s) < 0 ? "'" + s + "' is not a duration (e.g. 5s, 250ms, 40us)" : std::string();
    },
    "DURATION");

struct RunFlags {
  std::string workloads = "bank,list-append";
  std::string strategies = "all";
  std::string runner = "sim";
  bool runner_given = false;
  std::string target = "embedded";
  std::string key_tags = "auto";
  int clients = 8;
  std::string duration;
  int64_t ops = 0;
  uint64_t seed = 42;
  std::string out;
  bool no_record = false;
  bool quiet = false;
  WorkloadOptions w;
  StrategyOptions s;
  std::string backoff_base = "50us", backoff_cap = "5ms", lock_ttl = "100ms";
  std::string command_cost = "20us", pause = "300ms";
  double pause_prob = 0, crash_prob = 0, crash_after_apply = 0.5;
  std::string crash_command;
  CheckOptions check;
  std::string command_line;
};

int Run(RunFlags f) {
  ExperimentSpec spec;
  try {
    if (f.target != "embedded") {
#ifdef TXLAB_HAVE_TARGETS
      if (f.runner_given && f.runner != "threads") {
        throw std::invalid_argument("--target: a network target needs --runner threads");
      }
      f.runner = "threads";
      std::string error;
      spec.target_factory = TargetFactoryFor(f.target, &error);
      if (!error.empty()) throw std::invalid_argument("--target: " + error);
#else
      throw std::invalid_argument("--target: network targets are not built (impl/targets)");
#endif
    }
    spec.workloads = Split(f.workloads, ',');
    if (spec.workloads.size() == 1 && spec.workloads[0] == "all") spec.workloads = WorkloadNames();
    for (const std::string& w : spec.workloads) {
      if (!MakeWorkload(w, f.w)) throw std::invalid_argument("--workload: unknown workload '" + w + "'");
    }
    if (spec.workloads.empty()) throw std::invalid_argument("--workload: empty");
    spec.strategy_runs = ParseStrategyRuns(f.strategies);
    if (f.key_tags.empty() || f.key_tags.find_first_of("{}") != std::string::npos) {
      throw std::invalid_argument("--key-tags: want auto, none or a tag without braces, not '" + f.key_tags + "'");
    }
    if (f.w.zipf_theta < 0 || f.w.zipf_theta >= 1) throw std::invalid_argument("--zipf-theta: must be in [0, 1)");
    if (f.w.min_ops > f.w.max_ops) throw std::invalid_argument("--min-ops: greater than --max-ops");
    if (!f.crash_command.empty() && f.crash_prob == 0) {
      throw std::invalid_argument("--crash-command: needs --crash-prob > 0");
    }
    for (char ch : f.crash_command) {
      if (!std::isalpha(static_cast<unsigned char>(ch))) {
        throw std::invalid_argument("--crash-command: '" + f.crash_command + "' is not a command name");
      }
    }
    if ((f.pause_prob > 0 || f.crash_prob > 0) && f.runner != "sim") {
      throw std::invalid_argument("--pause-prob/--crash-prob: fault injection needs --runner sim");
    }
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "txlab run: %s\n", e.what());
    return kUsageError;
  }
  RunConfig& b = spec.base;
  b.runner = f.runner;
  b.target = f.target;
  b.key_tags = f.key_tags;
  b.clients = f.clients;
  b.seed = f.seed;
  b.ops = f.ops;
  b.duration_ns = f.duration.empty() ? 0 : ParseDurationNs(f.duration);
  if (b.ops == 0 && b.duration_ns == 0) {
    // Defaults: a few thousand txns per case in the simulator (about a
    // second of virtual time), one real second per case on threads.
    if (f.runner == "sim") b.ops = 8000;
    else b.duration_ns = 1'000'000'000;
  }
  b.workload_options = f.w;
  b.strategy_options = f.s;
  b.strategy_options.backoff.base_ns = ParseDurationNs(f.backoff_base);
  b.strategy_options.backoff.cap_ns = ParseDurationNs(f.backoff_cap);
  b.strategy_options.lock_ttl_ms = std::max<int64_t>(1, ParseDurationNs(f.lock_ttl) / 1'000'000);
  b.sim.command_cost_ns = ParseDurationNs(f.command_cost);
  b.sim.pause_ns = ParseDurationNs(f.pause);
  b.sim.pause_probability = f.pause_prob;
  b.sim.crash_probability = f.crash_prob;
  b.sim.crash_after_apply = f.crash_after_apply;
  b.sim.crash_command = f.crash_command;
  b.record = !f.no_record;

  std::ostream* progress = f.quiet ? nullptr : &std::cerr;
  std::vector<CaseResult> results;
  try {
    results = RunExperiment(
        spec, [&](const Workload& w, const RunOutput& o) { return CheckCase(w, o, f.check); }, progress);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "txlab run: %s\n", e.what());
    return kUsageError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "txlab run: failed: %s\n", e.what());
    return 1;
  }
  std::cout << FormatRunTable(results) << std::flush;
  const std::string dir = f.out.empty() ? "results/runs/" + NewRunId(f.seed) : f.out;
  if (progress) *progress << "writing " << dir << "/ ...\n" << std::flush;
  std::string error;
  if (!WriteResults(dir, spec, results, f.command_line, &error)) {
    std::fprintf(stderr, "txlab run: %s\n", error.c_str());
    return 1;
  }
  std::cout << "results: " << dir << "\n";
  return 0;
}

}  // namespace

Command AddRunCommand(CLI::App& txlab) {
  auto f = std::make_shared<RunFlags>();
  CLI::App* run = txlab.add_subcommand(
      "run", "Run workloads x strategies, check each history, print a comparison table, write results/runs/<id>/");
  run->footer(
      "Checkers in this build: " + CheckersAvailable() +
      "\nStrategies: lua, watch, lock, lock-wait, lock-fenced, lock-wait-fenced, lock-2pc, naive, multi-no-watch"
      "\n  lock-2pc: lease locks and two-phase commit (intents per cluster slot, a decision record, readers "
      "resolve intents), atomic across cluster slots and when a client crashes"
      "\nOn cluster:// targets, lua, watch and multi-no-watch need every txn in one slot: --key-tags auto "
      "hash-tags the workload's keys for them ({bank}acct:3); a txn across slots fails with cross-slot"
      "\nExample: txlab run --workload bank --strategy lua,watch,lock,naive,multi-no-watch --clients 8 "
      "--duration 5s --seed 42 --runner threads");
  const auto positive = CLI::PositiveNumber;
  // What to run.
  run->add_option("-w,--workload", f->workloads,
                  "Comma-separated workloads: bank, counter, list-append, rw-register, ycsb, or all")
      ->capture_default_str();
  run->add_option("-s,--strategy", f->strategies,
                  "Comma-separated strategy runs, or all. A run may mix strategies on the same keys with shares: "
                  "lua:0.5+watch:0.5 (or lua:0.5,watch:0.5 when every item has a share)")
      ->capture_default_str();
  run->add_option("-r,--runner", f->runner, "sim: deterministic simulation (virtual time); threads: one OS thread "
                                            "per client on the embedded engine")
      ->check(CLI::IsMember({"sim", "threads"}))
      ->capture_default_str();
  run->add_option("-t,--target", f->target,
                  "Where clients connect: embedded (a fresh engine per case), redis://HOST:PORT[/DB], "
                  "cluster://HOST:PORT (threads runner; each case FLUSHALLs the store first)")
      ->capture_default_str();
  run->add_option("--key-tags", f->key_tags,
                  "Hash tag on every key of the workload: auto (on cluster:// when lua, watch or multi-no-watch "
                  "run: the workload's name, so each txn stays in one slot; else none), none, or a tag")
      ->capture_default_str();
  run->add_option("-c,--clients", f->clients, "Concurrent clients")->check(CLI::Range(1, 4096))->capture_default_str();
  run->add_option("-d,--duration", f->duration,
                  "Run time per case (sim: virtual time), e.g. 5s, 500ms. Default: 8000 txns (sim) or 1s (threads)")
      ->check(kDuration);
  run->add_option("-n,--ops", f->ops, "Txns per case, over all clients (0: no limit)")->check(CLI::NonNegativeNumber);
  run->add_option("--seed", f->seed, "Seed of every random choice")->capture_default_str();
  run->add_option("-o,--out", f->out, "Results folder (default results/runs/<utc-time>-s<seed>)");
  run->add_flag("--no-record", f->no_record, "Do not record histories (metrics only; no checks)");
  run->add_flag("-q,--quiet", f->quiet, "No progress on stderr");
  // Workload parameters.
  run->add_option("--accounts", f->w.accounts, "bank: accounts")->check(CLI::Range(2, 1'000'000))->capture_default_str();
  run->add_option("--balance", f->w.initial_balance, "bank: initial balance per account")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  run->add_option("--max-transfer", f->w.max_transfer, "bank: largest transfer")->check(positive)->capture_default_str();
  run->add_option("--counter-keys", f->w.counter_keys, "counter: hot keys")->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  run->add_option("--keys", f->w.keys, "list-append, rw-register: keys")->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  run->add_option("--max-writes-per-key", f->w.max_writes_per_key,
                  "list-append: appends per key before it is replaced by a fresh key (0: never)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  run->add_option("--min-ops", f->w.min_ops, "list-append, rw-register: fewest micro-ops per txn")
      ->check(CLI::Range(1, 100))->capture_default_str();
  run->add_option("--max-ops", f->w.max_ops, "list-append, rw-register: most micro-ops per txn")
      ->check(CLI::Range(1, 100))->capture_default_str();
  run->add_option("--ycsb-keys", f->w.ycsb_keys, "ycsb: keys")->check(CLI::Range(1, 100'000'000))->capture_default_str();
  run->add_option("--zipf-theta", f->w.zipf_theta, "ycsb: zipf skew in [0, 1)")->capture_default_str();
  run->add_option("--ops-per-txn", f->w.ops_per_txn, "ycsb: micro-ops per txn")->check(CLI::Range(1, 100))
      ->capture_default_str();
  run->add_option("--read-fraction", f->w.read_fraction,
                  "Share of read txns (bank, counter) or read micro-ops (others); default per workload: bank 0.25, "
                  "counter 0.1, others 0.5")
      ->check(CLI::Range(0.0, 1.0));
  // Strategy parameters.
  run->add_option("--max-attempts", f->s.max_attempts, "Attempts per txn before give-up (watch, lock*)")
      ->check(CLI::Range(1, 1'000'000))->capture_default_str();
  run->add_option("--backoff-base", f->backoff_base, "First retry's backoff ceiling (full jitter, doubling)")
      ->check(kDuration)->capture_default_str();
  run->add_option("--backoff-cap", f->backoff_cap, "Largest backoff ceiling")->check(kDuration)->capture_default_str();
  run->add_option("--lock-ttl", f->lock_ttl, "Lease of each lock (lock*)")->check(kDuration)->capture_default_str();
  run->add_option("--lock-wait-tries", f->s.lock_wait_tries, "lock-wait*: tries of one busy lock per attempt")
      ->check(CLI::Range(1, 1'000'000))->capture_default_str();
  // Simulation and faults.
  run->add_option("--command-cost", f->command_cost, "sim: virtual time per command")->check(kDuration)
      ->capture_default_str();
  run->add_option("--pause-prob", f->pause_prob, "sim: per-step probability of pausing the client about to send")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  run->add_option("--pause", f->pause, "sim: length of an injected pause (longer than --lock-ttl to expire leases)")
      ->check(kDuration)->capture_default_str();
  run->add_option("--crash-prob", f->crash_prob,
                  "sim: per-step probability of crashing the client mid-txn (its locks stay behind)")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  run->add_option("--crash-after-apply", f->crash_after_apply,
                  "sim: share of crashes that fall after the server applied the command but before the client "
                  "saw the reply (the rest fall before the command is sent)")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  run->add_option("--crash-command", f->crash_command,
                  "sim: inject crashes only at this command (e.g. EXEC, EVALSHA, SET); default: any");
  // Checking.
  run->add_option("--isolation-model", f->check.isolation_model,
                  "Consistency model the isolation checker expects (Elle's names)")
      ->capture_default_str();
  Command c;
  c.app = run;
  c.run = [f, run] {
    f->runner_given = run->get_option("--runner")->count() > 0;
    f->command_line = "txlab run";
    for (const auto& opt : run->get_options()) {
      if (opt->count() == 0 || opt->get_name() == "--help") continue;
      f->command_line += " " + opt->get_name(false, true);
      for (const auto& r : opt->results()) f->command_line += " " + r;
    }
    return Run(*f);
  };
  return c;
}

}  // namespace txlab
