// Subcommands of the txlab tool. Each lives in its own file and exposes one
// Add...Command function, listed once in main.cc's kCommands table.
#ifndef TXLAB_CLI_COMMAND_H_
#define TXLAB_CLI_COMMAND_H_

#include <functional>

#include <CLI/CLI.hpp>

namespace txlab {

struct Command {
  CLI::App* app = nullptr;     // the subcommand, owned by the parent app
  std::function<int()> run;    // called after a successful parse; returns the exit status
};

// Exit status for a bad command line (unknown flag, bad value).
inline constexpr int kUsageError = 2;

Command AddRunCommand(CLI::App& txlab);    // run_command.cc
Command AddCheckCommand(CLI::App& txlab);  // check_command.cc
Command AddServeCommand(CLI::App& txlab);  // serve_command.cc

}  // namespace txlab

#endif  // TXLAB_CLI_COMMAND_H_
