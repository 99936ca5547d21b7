// Subcommands of the txlab tool. Each lives in its own file and exposes one
// Add...Command function, listed once in main.cc's kCommands table: to add
// `txlab check`, write cli/check_command.cc with AddCheckCommand and add one
// line there.
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

Command AddRunCommand(CLI::App& txlab);

}  // namespace txlab

#endif  // TXLAB_CLI_COMMAND_H_
