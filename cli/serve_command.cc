// `txlab serve`: the embedded engine as a RESP2/RESP3 server on loopback
// (impl/server/serve.h does the work). Registered in main.cc's kCommands.
//
//   txlab serve [--port 7379] [--bind 127.0.0.1] [--requirepass PW]
//               [--threads N] [--busy-reply-threshold MS] [--seed S]
#include "cli/command.h"
#include "impl/server/serve.h"

namespace txlab {

Command AddServeCommand(CLI::App& txlab) {
  CLI::App* app = txlab.add_subcommand(
      "serve", "Serve the embedded engine over RESP2/RESP3 (redis-cli, redis-benchmark, hiredis) until SIGINT/SIGTERM");
  auto config = std::make_shared<ServeConfig>();
  AddServeFlags(*app, config.get());
  return Command{app, [config] { return RunServe(*config); }};
}

}  // namespace txlab
