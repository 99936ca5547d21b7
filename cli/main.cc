// txlab: the command-line tool. Parses the command line with CLI11 and
// dispatches to one subcommand. A bad command line prints one line on
// stderr and exits with status 2.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/command.h"

namespace {

using txlab::Command;

// Every subcommand, in the order `txlab --help` lists them.
constexpr Command (*kCommands[])(CLI::App&) = {
    txlab::AddRunCommand,
    txlab::AddCheckCommand,
    txlab::AddServeCommand,
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"txlab: transaction strategies on a Redis-style keyspace, judged by checkers"};
  app.name("txlab");
  app.require_subcommand(1);
  std::vector<Command> commands;
  for (auto add : kCommands) commands.push_back(add(app));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    if (auto nl = msg.find('\n'); nl != std::string::npos) msg.resize(nl);
    std::fprintf(stderr, "txlab: %s (see txlab --help)\n", msg.c_str());
    return txlab::kUsageError;
  }
  for (const Command& c : commands) {
    if (c.app->parsed()) return c.run();
  }
  return txlab::kUsageError;
}
