// txlab-lincheck: our linearizability checker on history files, one verdict
// line per file ("<file>\t<ok|illegal|unknown>\t<seconds>\t<summary>\tparse=<s> check=<s>"),
// details with -v. Jepsen logs (.log) read a :fail cas as a failed compare.
// Exit 0 all ok, 1 some illegal, 2 some unknown, 3 bad input.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "checkers/linearizability/check_history.h"

// CPU seconds (user + system) used by this process so far: wall time is
// meaningless on a loaded machine.
static double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

int main(int argc, char** argv) {
  txlab::LinOptions o;
  bool verbose = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--model" && i + 1 < argc) o.model = argv[++i];
    else if (a == "--timeout" && i + 1 < argc) o.time_budget_s = std::atof(argv[++i]);
    else if (a == "--memory-mib" && i + 1 < argc) o.memory_budget_bytes = std::strtoull(argv[++i], nullptr, 10) << 20;
    else if (a == "--cas-fail-is-mismatch") o.cas_fail_is_mismatch = true;
    else if (a == "--witness") o.want_witness = true;
    else if (a == "-v") verbose = true;
    else if (a == "-h" || a == "--help") {
      std::printf("usage: txlab-lincheck [--model m] [--timeout s] [--memory-mib n] [--witness] [-v] FILE...\n");
      return 0;
    } else files.push_back(a);
  }
  int worst = 0;
  for (const std::string& f : files) {
    using Clock = std::chrono::steady_clock;
    auto t0 = Clock::now();
    const double c0 = CpuSeconds();
    txlab::FileCheckStats stats;
    txlab::Verdict v = txlab::CheckLinearizableFile(f, o, &stats);
    auto t2 = Clock::now();
    const double c2 = CpuSeconds();
    // parse = reading the file (on the streaming path: reading it straight
    // into compact ops); check = the rest.
    const double total = std::chrono::duration<double>(t2 - t0).count();
    const double parse = std::min(stats.read_s, total);
    const double check = total - parse;
    const double c1 = c0 + std::min(stats.read_cpu_s, c2 - c0);
    int code = v.ok() ? 0 : v.illegal() ? 1 : v.summary == "bad input" ? 3 : 2;
    worst = std::max(worst, code);
    std::printf("%s\t%s\t%.4f\t%s\tparse=%.4f check=%.4f parse_cpu=%.4f check_cpu=%.4f\n", f.c_str(),
                txlab::OutcomeName(v.outcome), parse + check, v.summary.c_str(), parse, check, c1 - c0, c2 - c1);
    if (verbose || code == 3) {
      for (const std::string& d : v.details) std::printf("%s\n", d.c_str());
    }
    if (verbose) {
      std::printf("%s\n", stats.streamed ? "(streaming reader)" : ("(History path: " + stats.fallback_reason + ")").c_str());
    }
  }
  return worst;
}
