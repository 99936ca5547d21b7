// Cross-validation against published verdicts: every porcupine etcd and kv
// log in ../shared/histories must get its EXPECTED.tsv verdict, from our
// checker and from the porcupine CLI (checkers/porcupine, built by
// scripts/bootstrap).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "checkers/linearizability/check_history.h"

namespace txlab {
namespace {

namespace fs = std::filesystem;

const fs::path kShared = TXLAB_SHARED_HISTORIES;

// file name -> expected linearizable
std::map<std::string, bool> Expected(const std::string& dir) {
  std::map<std::string, bool> out;
  std::ifstream in(kShared / dir / "EXPECTED.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::string file, verdict;
    ss >> file >> verdict;
    out[file] = verdict == "true";
  }
  return out;
}

class PublicHistories : public ::testing::TestWithParam<std::string> {};

TEST_P(PublicHistories, OurCheckerMatchesExpected) {
  auto expected = Expected(GetParam());
  ASSERT_FALSE(expected.empty()) << "no EXPECTED.tsv under " << kShared / GetParam();
  int checked = 0;
  for (const auto& [file, linearizable] : expected) {
    LinOptions o;
    o.time_budget_s = 30;
    Verdict v = CheckLinearizableFile(kShared / GetParam() / file, o);
    EXPECT_EQ(v.outcome, linearizable ? Verdict::Outcome::kOk : Verdict::Outcome::kIllegal)
        << file << ": " << v.summary << "\n" << (v.details.empty() ? "" : v.details[0]);
    ++checked;
  }
  std::printf("%s: %d logs checked\n", GetParam().c_str(), checked);
}

// Runs a command, returns its stdout and exit code.
std::string RunCommand(const std::string& cmd, int* code) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    *code = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int status = pclose(p);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST_P(PublicHistories, PorcupineCliMatchesExpected) {
  const std::string bin = FindPorcupineBinary();
  if (bin.empty()) {
    GTEST_SKIP() << "porcupine CLI not built: run scripts/bootstrap, or "
                    "cd checkers/porcupine && go build -o txlab-porcupine .";
  }
  auto expected = Expected(GetParam());
  int code = 0;
  // Batch mode: one invocation for the whole folder.
  std::string out = RunCommand(bin + " --timeout 60s " + (kShared / GetParam()).string(), &code);
  std::map<std::string, std::string> got;
  std::istringstream ss(out);
  std::string line;
  while (std::getline(ss, line)) {
    std::istringstream ls(line);
    std::string path, verdict;
    std::getline(ls, path, '\t');
    std::getline(ls, verdict, '\t');
    got[fs::path(path).filename()] = verdict;
  }
  for (const auto& [file, linearizable] : expected) {
    ASSERT_TRUE(got.count(file)) << file << " missing from porcupine output:\n" << out;
    EXPECT_EQ(got[file], linearizable ? "ok" : "illegal") << file;
  }
  EXPECT_EQ(got.size(), expected.size()) << out;
}

INSTANTIATE_TEST_SUITE_P(Porcupine, PublicHistories, ::testing::Values("porcupine-etcd", "porcupine-kv"));

TEST(PorcupineCli, BadInputNamesTheLine) {
  const std::string bin = FindPorcupineBinary();
  if (bin.empty()) GTEST_SKIP() << "porcupine CLI not built (scripts/bootstrap builds it)";
  fs::path f = fs::temp_directory_path() / ("txlab-bad-" + std::to_string(getpid()) + ".edn");
  {
    std::ofstream out(f);
    out << "{:type :invoke, :process 0, :f :read, :value nil}\n"
           "{:type :invoke, :process 0, :f :read, :value nil}\n";
  }
  Verdict v = RunPorcupine(f, {});
  fs::remove(f);
  EXPECT_EQ(v.summary, "bad input");
  ASSERT_FALSE(v.details.empty());
  EXPECT_NE(v.details[0].find("line 2"), std::string::npos) << v.details[0];
}

TEST(PorcupineCli, RunPorcupineMapsVerdicts) {
  const std::string bin = FindPorcupineBinary();
  if (bin.empty()) GTEST_SKIP() << "porcupine CLI not built (scripts/bootstrap builds it)";
  EXPECT_EQ(RunPorcupine(kShared / "porcupine-kv" / "c01-ok.txt", {}).outcome, Verdict::Outcome::kOk);
  EXPECT_EQ(RunPorcupine(kShared / "porcupine-kv" / "c01-bad.txt", {}).outcome, Verdict::Outcome::kIllegal);
}

}  // namespace
}  // namespace txlab
