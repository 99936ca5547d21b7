// txlab-lingen: writes a generated history (history_gen.h) as EDN, for
// benchmarks and for reproducing property-test cases.
//   txlab-lingen --model register|counter|kv|list-append|txn --ops N --clients C --keys K
//                [--seed S] [--crash F] [--fail F] [--two-key F] [--read F] [--cas F]
//                [--mutation none|stale-read|lost-write|duplicate-incr] [--json] > out.edn
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "checkers/linearizability/history_gen.h"
#include "model/history_io.h"

int main(int argc, char** argv) {
  using txlab::lin::GenOptions;
  GenOptions g;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "txlab-lingen: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--model") {
      std::string m = next();
      if (m == "register") g.model = GenOptions::Model::kRegister;
      else if (m == "counter") g.model = GenOptions::Model::kCounter;
      else if (m == "kv") g.model = GenOptions::Model::kKv;
      else if (m == "list-append") g.model = GenOptions::Model::kListAppend;
      else if (m == "txn") g.model = GenOptions::Model::kTxn;
      else {
        std::fprintf(stderr, "txlab-lingen: unknown model %s\n", m.c_str());
        return 2;
      }
    } else if (a == "--ops") g.ops = std::strtoull(next(), nullptr, 10);
    else if (a == "--clients") g.clients = std::atoi(next());
    else if (a == "--keys") g.keys = std::atoi(next());
    else if (a == "--seed") g.seed = std::strtoull(next(), nullptr, 10);
    else if (a == "--crash") g.crash_fraction = std::atof(next());
    else if (a == "--fail") g.fail_fraction = std::atof(next());
    else if (a == "--two-key") g.txn_two_key_fraction = std::atof(next());
    else if (a == "--read") g.read_fraction = std::atof(next());
    else if (a == "--cas") g.cas_fraction = std::atof(next());
    else if (a == "--mutation") {
      std::string m = next();
      if (m == "none") g.mutation = GenOptions::Mutation::kNone;
      else if (m == "stale-read") g.mutation = GenOptions::Mutation::kStaleRead;
      else if (m == "lost-write") g.mutation = GenOptions::Mutation::kLostWrite;
      else if (m == "duplicate-incr") g.mutation = GenOptions::Mutation::kDuplicateIncr;
      else {
        std::fprintf(stderr, "txlab-lingen: unknown mutation %s\n", m.c_str());
        return 2;
      }
    } else if (a == "--json") json = true;
    else {
      std::fprintf(stderr, "txlab-lingen: unknown argument %s (see the header of lingen_main.cc)\n", a.c_str());
      return 2;
    }
  }
  txlab::History h = txlab::lin::GenerateHistory(g);
  std::ios::sync_with_stdio(false);
  if (json) txlab::WriteJsonHistory(h, std::cout);
  else txlab::WriteEdnHistory(h, std::cout);
  return 0;
}
