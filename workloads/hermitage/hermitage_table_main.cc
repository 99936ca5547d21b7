// txlab_hermitage_table: runs the Hermitage scenarios against every strategy
// and writes table.tsv and table.md into a folder (default results/hermitage
// under the current directory); with --check, also compares the table with
// an expectations file and exits 1 on a disagreement.
//
//   txlab_hermitage_table [--out DIR] [--bound N] [--check expected.tsv]
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "workloads/hermitage/table.h"

namespace {

int Usage() {
  std::cerr << "usage: txlab_hermitage_table [--out DIR] [--bound N] [--check expected.tsv]\n";
  return 2;
}

bool WriteFile(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
  return static_cast<bool>(f);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace txlab::hermitage;
  std::filesystem::path out = "results/hermitage";
  std::string check;
  ExploreOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return Usage();
    if (a == "--out") {
      out = argv[++i];
    } else if (a == "--bound") {
      options.preemption_bound = std::atoi(argv[++i]);
    } else if (a == "--check") {
      check = argv[++i];
    } else {
      return Usage();
    }
  }
  const auto start = std::chrono::steady_clock::now();
  // RunTable's loop, with a progress line per cell on stderr.
  std::vector<CellResult> cells;
  for (const Scenario& s : Scenarios()) {
    for (const std::string& strategy : TableStrategies()) {
      const auto t0 = std::chrono::steady_clock::now();
      cells.push_back(ExploreCell(s, strategy, options));
      std::cerr << s.id << " " << strategy << ": " << (cells.back().observed ? "observed" : "prevented") << ", "
                << cells.back().schedules << " schedules, "
                << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s\n";
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::filesystem::create_directories(out);
  if (!WriteFile(out / "table.tsv", FormatTsv(cells)) ||
      !WriteFile(out / "table.md", FormatMarkdown(cells, options))) {
    std::cerr << "cannot write into " << out << "\n";
    return 2;
  }
  uint64_t schedules = 0;
  for (const CellResult& c : cells) schedules += c.schedules + 1;
  std::cout << cells.size() << " cells, " << schedules << " schedules in " << seconds << " s; wrote " << out.string()
            << "/table.{tsv,md}\n";
  if (check.empty()) return 0;
  std::ifstream f(check, std::ios::binary);
  if (!f) {
    std::cerr << "cannot read " << check << "\n";
    return 2;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  std::string error;
  std::vector<Expectation> expected = ParseExpectations(ss.str(), &error);
  if (!error.empty()) {
    std::cerr << check << ": " << error << "\n";
    return 2;
  }
  std::vector<std::string> diffs = CompareWithExpectations(cells, expected);
  for (const std::string& d : diffs) std::cout << "DIFF " << d << "\n";
  return diffs.empty() ? 0 : 1;
}
