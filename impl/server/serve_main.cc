// txlab_serve: `txlab serve` as a program of its own, for scripts that need
// the server without the rest of the tool (bench/redis_benchmark_compare.sh).
#include <CLI/CLI.hpp>

#include "impl/server/serve.h"

int main(int argc, char** argv) {
  CLI::App app{"txlab_serve: the embedded txlab engine over RESP2/RESP3"};
  txlab::ServeConfig config;
  txlab::AddServeFlags(app, &config);
  CLI11_PARSE(app, argc, argv);
  return txlab::RunServe(config);
}
