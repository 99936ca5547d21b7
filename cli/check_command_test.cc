// `txlab check`: exit statuses and messages, through the built binary.
// With --checker linearizable the file is read by the checker itself (no
// History): the verdicts and the bad-input message (SEMANTICS.md 6.2: a
// process with two operations in flight) must be what the History path gives.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace txlab {
namespace {

namespace fs = std::filesystem;

class CheckCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "txlab-check-test.XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string File(const std::string& name, const std::string& text) {
    std::string p = (dir_ / name).string();
    std::ofstream(p) << text;
    return p;
  }
  // Runs txlab check with args; returns the exit status, fills out and err.
  int Check(const std::string& args, std::string* out, std::string* err) {
    const std::string cmd = std::string(TXLAB_BINARY) + " check " + args + " > " + (dir_ / "out").string() + " 2> " +
                            (dir_ / "err").string();
    const int status = std::system(cmd.c_str());
    auto slurp = [](const fs::path& p) {
      std::ifstream in(p);
      std::stringstream ss;
      ss << in.rdbuf();
      return ss.str();
    };
    *out = slurp(dir_ / "out");
    *err = slurp(dir_ / "err");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  fs::path dir_;
};

std::string Op(int p, const char* type, const char* f, const char* value) {
  return std::string("{:type :") + type + ", :process " + std::to_string(p) + ", :f :" + f + ", :value " + value +
         "}\n";
}

TEST_F(CheckCommandTest, LinearizableReadsTheFileItself) {
  const std::string writes = Op(0, "invoke", "write", "[1 1]") + Op(0, "ok", "write", "[1 1]") +
                             Op(0, "invoke", "write", "[1 2]") + Op(0, "ok", "write", "[1 2]");
  const std::string ok = File("ok.edn", writes + Op(1, "invoke", "read", "[1 nil]") + Op(1, "ok", "read", "[1 2]"));
  const std::string stale =
      File("stale.edn", writes + Op(1, "invoke", "read", "[1 nil]") + Op(1, "ok", "read", "[1 1]"));
  std::string out, err;
  // With the History (checkers chosen from :f) and without (--checker): same verdicts.
  EXPECT_EQ(Check(ok, &out, &err), 0) << out << err;
  EXPECT_NE(out.find(" operations"), std::string::npos) << out;  // the History path
  EXPECT_EQ(Check("--checker linearizable " + ok, &out, &err), 0) << out << err;
  EXPECT_EQ(out.find("operations"), std::string::npos) << out;  // no History was built
  EXPECT_NE(out.find("linearizable"), std::string::npos) << out;
  EXPECT_EQ(Check(stale, &out, &err), 1) << out << err;
  EXPECT_EQ(Check("--checker linearizable " + stale, &out, &err), 1) << out << err;
  EXPECT_NE(out.find("not linearizable: key 1"), std::string::npos) << out;
}

TEST_F(CheckCommandTest, BadInputNamesTheLineEitherWay) {
  const std::string bad =
      File("bad.edn", Op(0, "invoke", "write", "[1 1]") + Op(0, "invoke", "read", "[1 nil]"));
  std::string out, err, out2, err2;
  EXPECT_EQ(Check(bad, &out, &err), 3);
  EXPECT_EQ(Check("--checker linearizable " + bad, &out2, &err2), 3);
  EXPECT_NE(err.find("line 2: process 0 has two operations in flight"), std::string::npos) << err;
  EXPECT_EQ(err, err2);
}

}  // namespace
}  // namespace txlab
