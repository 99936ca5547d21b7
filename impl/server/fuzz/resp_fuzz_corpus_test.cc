// Replays the fuzz corpus (impl/server/fuzz/corpus) through the fuzz
// properties, plus a bounded number of seeded mutations of it, so that the
// normal suite keeps what fuzzing found without needing clang or libFuzzer.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "impl/server/fuzz/resp_parser_fuzz_body.h"

namespace txlab {
namespace {

std::vector<std::string> LoadCorpus() {
  std::vector<std::string> out;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(TXLAB_RESP_CORPUS_DIR)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());  // deterministic order
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

void RunInput(const std::string& s) {
  FuzzRespInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

TEST(RespFuzzCorpus, ReplaysEveryFile) {
  auto corpus = LoadCorpus();
  ASSERT_GE(corpus.size(), 10u);
  for (const auto& s : corpus) RunInput(s);
}

TEST(RespFuzzCorpus, SeededMutations) {
  auto corpus = LoadCorpus();
  ASSERT_FALSE(corpus.empty());
  std::mt19937_64 rng(20261125);  // fixed seed: failures reproduce
  const std::string interesting = "*$\r\n\"'\\ x0-+:_,#%~|=!(\0";
  auto start = std::chrono::steady_clock::now();
  int runs = 0;
  for (; runs < 20000; ++runs) {
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(20)) break;
    std::string s = corpus[rng() % corpus.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
      switch (rng() % 5) {
        case 0:  // flip a bit
          if (!s.empty()) s[rng() % s.size()] ^= static_cast<char>(1u << (rng() % 8));
          break;
        case 1:  // insert a protocol character
          s.insert(pos, 1, interesting[rng() % interesting.size()]);
          break;
        case 2:  // delete a byte
          if (!s.empty()) s.erase(rng() % s.size(), 1);
          break;
        case 3: {  // splice in part of another input
          const std::string& o = corpus[rng() % corpus.size()];
          size_t from = o.empty() ? 0 : rng() % o.size();
          s.insert(pos, o.substr(from, rng() % 32));
          break;
        }
        case 4:  // change a digit
          for (size_t i = pos; i < s.size(); ++i) {
            if (s[i] >= '0' && s[i] <= '9') {
              s[i] = static_cast<char>('0' + rng() % 10);
              break;
            }
          }
          break;
      }
    }
    RunInput(s);
  }
  EXPECT_GT(runs, 100);
}

}  // namespace
}  // namespace txlab
