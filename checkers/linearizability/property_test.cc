// Property tests: our checker, the brute-force checker and porcupine (via
// the CLI, one invocation per batch of histories) agree wherever each gives
// a definite answer, on generated histories that are linearizable by
// construction, and on mutated ones (stale read, lost write, duplicated
// increment; with and without crashed operations).
//
// RapidCheck prints its seed ("Using configuration: seed=..."); replay
// with RC_PARAMS="seed=...". Each case is a batch of histories, each with
// its own generator seed, printed on failure along with the history.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "checkers/linearizability/brute_force.h"
#include "checkers/linearizability/check_history.h"
#include "checkers/linearizability/history_gen.h"
#include "model/history_io.h"

namespace txlab {
namespace {

namespace fs = std::filesystem;
using lin::GenOptions;

// The shape of one generated history; the batch generator draws these.
struct Spec {
  uint64_t seed;
  int model;
  int ops;
  int clients;
  int keys;
  bool crashes;
  bool fails;
  int mutation;
};

GenOptions ToOptions(const Spec& s) {
  GenOptions g;
  g.seed = s.seed;
  g.model = static_cast<GenOptions::Model>(s.model);
  g.ops = s.ops;
  g.clients = s.clients;
  g.keys = s.keys;
  if (g.model == GenOptions::Model::kKv || g.model == GenOptions::Model::kListAppend) g.keys = std::max(1, g.keys);
  if (g.model == GenOptions::Model::kTxn) {
    g.keys = std::max(2, g.keys);
    g.txn_two_key_fraction = 0.4;
  }
  if (g.model == GenOptions::Model::kRegister && s.seed % 3 == 0) g.cas_fraction = 0.4;
  if (g.model == GenOptions::Model::kCounter && s.seed % 2 == 0) g.read_fraction = 0;  // the fast path's shape
  g.crash_fraction = s.crashes ? 0.3 : 0;
  g.fail_fraction = s.fails ? 0.2 : 0;
  g.mutation = static_cast<GenOptions::Mutation>(s.mutation);
  if (g.mutation == GenOptions::Mutation::kDuplicateIncr && g.model != GenOptions::Model::kCounter) {
    g.mutation = GenOptions::Mutation::kLostWrite;
  }
  g.max_duration = 4;
  g.max_gap = 2;
  return g;
}

std::string Describe(const Spec& s) {
  GenOptions g = ToOptions(s);
  std::ostringstream out;
  out << "seed=" << g.seed << " model=" << lin::ModelName(g.model) << " ops=" << g.ops << " clients=" << g.clients
      << " keys=" << g.keys << " crash=" << g.crash_fraction << " fail=" << g.fail_fraction
      << " mutation=" << lin::MutationName(g.mutation);
  return out.str();
}

std::string Edn(const History& h) {
  std::ostringstream out;
  WriteEdnHistory(h, out);
  return out.str();
}

rc::Gen<Spec> SpecGen(int min_ops, int max_ops) {
  return rc::gen::build<Spec>(
      rc::gen::set(&Spec::seed, rc::gen::arbitrary<uint64_t>()),
      rc::gen::set(&Spec::model, rc::gen::inRange(0, 5)),
      rc::gen::set(&Spec::ops, rc::gen::inRange(min_ops, max_ops + 1)),
      rc::gen::set(&Spec::clients, rc::gen::inRange(1, 5)),
      rc::gen::set(&Spec::keys, rc::gen::inRange(0, 3)),
      rc::gen::set(&Spec::crashes, rc::gen::arbitrary<bool>()),
      rc::gen::set(&Spec::fails, rc::gen::arbitrary<bool>()),
      rc::gen::set(&Spec::mutation, rc::gen::inRange(0, 4)));
}

Verdict::Outcome Ours(const History& h, bool fast_paths = true) {
  LinOptions o;
  o.time_budget_s = 5;
  o.minimise = false;
  o.fast_paths = fast_paths;
  return CheckLinearizable(h, o).outcome;
}

// Small histories (<= 8 ops): ours against brute force, 40 per case.
RC_GTEST_PROP(LinearizableProperty, AgreesWithBruteForce, ()) {
  const auto specs = *rc::gen::container<std::vector<Spec>>(40, SpecGen(1, 8));
  for (const Spec& s : specs) {
    History h = lin::GenerateHistory(ToOptions(s));
    bool brute = false;
    std::string err;
    RC_ASSERT(lin::BruteForceCheckHistory(h, "", &brute, &err));
    Verdict::Outcome ours = Ours(h);
    RC_LOG() << Describe(s) << "\n" << Edn(h);
    RC_ASSERT(ours != Verdict::Outcome::kUnknown);
    RC_ASSERT((ours == Verdict::Outcome::kOk) == brute);
    RC_ASSERT(Ours(h, /*fast_paths=*/false) == ours);  // the fast paths agree with the search
    if (s.mutation == 0) RC_ASSERT(brute);  // linearizable by construction
  }
}

// Larger histories (up to 40 ops): ours (from the History and from the
// file), porcupine, and brute force where it applies, one porcupine
// invocation per batch of 20. Porcupine gets 1 s
// per history: crashed operations can make it time out (unknown), and
// unknowns are not compared.
RC_GTEST_PROP(LinearizableProperty, AgreesWithPorcupine, ()) {
  const std::string bin = FindPorcupineBinary();
  const auto specs = *rc::gen::container<std::vector<Spec>>(20, SpecGen(2, 40));
  fs::path dir = fs::temp_directory_path() / ("txlab-lin-prop-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::vector<History> hs;
  for (size_t i = 0; i < specs.size(); ++i) {
    hs.push_back(lin::GenerateHistory(ToOptions(specs[i])));
    char name[32];
    std::snprintf(name, sizeof(name), "h%03zu.edn", i);
    std::ofstream out(dir / name);
    WriteEdnHistory(hs.back(), out);
  }
  std::map<std::string, std::string> porcupine;
  if (!bin.empty()) {
    std::string cmd = bin + " --timeout 1s " + dir.string() + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    char line[4096];
    while (p && fgets(line, sizeof(line), p)) {
      std::istringstream ls(line);
      std::string path, verdict;
      std::getline(ls, path, '\t');
      std::getline(ls, verdict, '\t');
      porcupine[fs::path(path).filename()] = verdict;
    }
    if (p) pclose(p);
  }
  // Ours on the files too: keyed single-key histories take the streaming
  // reader's path (stream_reader.h), the rest the History's.
  std::vector<Verdict::Outcome> from_file;
  for (size_t i = 0; i < specs.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "h%03zu.edn", i);
    LinOptions o;
    o.time_budget_s = 5;
    o.minimise = false;
    from_file.push_back(CheckLinearizableFile((dir / name).string(), o).outcome);
  }
  fs::remove_all(dir);
  for (size_t i = 0; i < specs.size(); ++i) {
    const History& h = hs[i];
    char name[32];
    std::snprintf(name, sizeof(name), "h%03zu.edn", i);
    Verdict::Outcome ours = Ours(h);
    RC_LOG() << Describe(specs[i]) << "\n" << Edn(h);
    RC_ASSERT(from_file[i] == ours);
    if (specs[i].mutation == 0) RC_ASSERT(ours == Verdict::Outcome::kOk);
    if (!bin.empty()) {
      const std::string& pv = porcupine[name];
      RC_ASSERT(pv == "ok" || pv == "illegal" || pv == "unknown");
      if (pv != "unknown" && ours != Verdict::Outcome::kUnknown) {
        RC_ASSERT((pv == "ok") == (ours == Verdict::Outcome::kOk));
      }
    }
    bool brute = false;
    std::string err;
    if (lin::BruteForceCheckHistory(h, "", &brute, &err) && ours != Verdict::Outcome::kUnknown) {
      RC_ASSERT(brute == (ours == Verdict::Outcome::kOk));
    }
  }
}

TEST(LinearizableProperty, PorcupineCliIsBuilt) {
  if (FindPorcupineBinary().empty()) {
    GTEST_SKIP() << "porcupine CLI not built, so AgreesWithPorcupine compared ours with brute force only: "
                    "run scripts/bootstrap or cd checkers/porcupine && go build -o txlab-porcupine .";
  }
}

}  // namespace
}  // namespace txlab
