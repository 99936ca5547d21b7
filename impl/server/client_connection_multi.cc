// Connection-level commands inside MULTI, as redis-server 7.0 treats them:
// checked when queued (arity, subcommand: an error then aborts the EXEC, T6),
// run at EXEC in their place among the engine's commands, and SHUTDOWN
// refused ("Command not allowed inside a transaction").
//
// The engine keeps the queue and decides whether EXEC runs (WATCH, T6): each
// such command is queued in the engine as a placeholder, ECHO <token>, and at
// EXEC the slot holding that token gets the command's real reply. A command
// refused at queue time is sent as a bare ECHO (an arity error), which makes
// the engine abort the EXEC, while the client receives Redis's own error.
// The connection commands are not atomic with the engine's (they touch no
// keys), but they run in order, after the engine's part of the EXEC.
#include <string>
#include <string_view>
#include <vector>

#include "impl/engine/parse.h"
#include "impl/server/client_connection.h"

namespace txlab {
namespace {

struct SubCommand {
  std::string_view name;
  int arity;  // Redis convention, including the command and subcommand
};
struct QueuedConnCommand {
  std::string_view name;
  int arity;
  std::vector<SubCommand> subs;  // empty: no subcommands
  std::string_view help;         // "CLIENT" in "Try CLIENT HELP."
};

// Redis 7.0's arities for the connection commands ClientConnection answers.
const std::vector<QueuedConnCommand>& Table() {
  static const std::vector<QueuedConnCommand> kTable = {
      {"hello", -1, {}, ""},
      {"auth", -2, {}, ""},
      {"info", -1, {}, ""},
      {"client", -2, {{"id", 2}, {"getname", 2}, {"setname", 3}, {"info", 2}, {"list", -2}, {"help", 2}}, "CLIENT"},
      {"config", -2, {{"get", -3}, {"set", -4}, {"resetstat", 2}}, "CONFIG"},
      {"command", -1, {{"count", 2}, {"list", -2}, {"info", -2}, {"docs", -2}}, "COMMAND"},
      {"shutdown", -1, {}, ""},
  };
  return kTable;
}

bool ArityFits(int arity, size_t argc) {
  return arity >= 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
}

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// The queue-time error for `argv`, or empty if it may be queued.
std::string QueueTimeError(const QueuedConnCommand& cmd, const std::vector<std::string>& argv) {
  if (!ArityFits(cmd.arity, argv.size()))
    return "ERR wrong number of arguments for '" + std::string(cmd.name) + "' command";
  if (cmd.name == "shutdown") return "ERR Command not allowed inside a transaction";
  if (cmd.subs.empty() || argv.size() < 2) return "";
  const std::string sub = LowerCopy(argv[1]);
  for (const SubCommand& s : cmd.subs) {
    if (s.name != sub) continue;
    if (!ArityFits(s.arity, argv.size()))
      return "ERR wrong number of arguments for '" + std::string(cmd.name) + "|" + sub + "' command";
    return "";
  }
  return "ERR unknown subcommand '" + argv[1] + "'. Try " + std::string(cmd.help) + " HELP.";
}

}  // namespace

bool ClientConnection::QueueHere(const std::vector<std::string>& argv, Reply* reply) {
  const QueuedConnCommand* cmd = nullptr;
  for (const QueuedConnCommand& c : Table())
    if (EqualsIgnoreCase(argv[0], c.name)) cmd = &c;
  if (cmd == nullptr) return false;
  const std::string error = QueueTimeError(*cmd, argv);
  if (!error.empty()) {
    session_->Call({"ECHO"});  // an arity error: the engine aborts the EXEC (T6)
    *reply = Reply::Error(error);
    return true;
  }
  std::string token = "\x01txlab-queued-connection-command:" + std::to_string(id_) + ":" +
                      std::to_string(++queued_here_seq_);
  *reply = session_->Call({"ECHO", token});
  if (reply->is_status() && reply->str() == "QUEUED") queued_here_.emplace_back(std::move(token), argv);
  return true;
}

void ClientConnection::FinishQueuedHere(Reply* reply) {
  if (session_->in_multi()) return;  // still queueing
  auto queued = std::move(queued_here_);
  queued_here_.clear();
  if (reply->type() != Reply::Type::kArray) return;  // DISCARD, RESET, aborted EXEC
  size_t next = 0;
  for (Reply& slot : reply->mutable_elems()) {
    if (next == queued.size()) break;
    if (slot.type() != Reply::Type::kBulk || slot.str() != queued[next].first) continue;
    Reply r;
    ExecuteHere(queued[next].second, &r);
    slot = std::move(r);
    ++next;
  }
}

}  // namespace txlab
