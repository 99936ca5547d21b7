// Replays the RESP fuzz corpus (impl/server/fuzz/corpus) through the
// command-dispatch fuzz properties (dispatch_fuzz_body.h), plus every command
// of the table with a few argument shapes, so the normal suite covers
// dispatch without clang or libFuzzer.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "impl/engine/command.h"
#include "impl/server/fuzz/dispatch_fuzz_body.h"
#include "impl/server/resp_writer.h"

namespace txlab {
namespace {

void Dispatch(const std::string& s) { FuzzDispatchInput(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

TEST(DispatchFuzzCorpus, ReplaysEveryFile) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(TXLAB_RESP_CORPUS_DIR)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 10u);
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    Dispatch(ss.str());
  }
}

// Every command name with no, bad and plausible arguments, inside and
// outside MULTI: each reply must be well formed and the engine keep serving.
TEST(DispatchFuzzCorpus, EveryCommandWithArgumentShapes) {
  const std::vector<std::vector<std::string>> shapes = {
      {}, {"k"}, {"k", "v"}, {"k", "1", "2"}, {"k", "-1", "x", "EX", "0"}, {"k", "nan", "+inf", "(1", "[a"}};
  int runs = 0;
  for (const auto& [name, spec] : CommandTable::Get().all()) {
    for (const auto& args : shapes) {
      for (bool in_multi : {false, true}) {
        std::string input;
        auto add = [&](std::vector<std::string> argv) {
          std::vector<std::string_view> v(argv.begin(), argv.end());
          AppendCommand(v, &input);
        };
        add({"RPUSH", "k", "a", "b"});
        if (in_multi) add({"MULTI"});
        std::vector<std::string> argv = {name};
        argv.insert(argv.end(), args.begin(), args.end());
        add(argv);
        if (in_multi) add({"EXEC"});
        Dispatch(input);
        ++runs;
      }
    }
  }
  EXPECT_GT(runs, 100);
}

}  // namespace
}  // namespace txlab
