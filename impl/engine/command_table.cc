// The command table: construction (the one list of all command files) and
// lookup, plus the shared error-reply builders.
#include <cctype>
#include <string>

#include "impl/engine/command.h"
#include "impl/engine/script_commands.h"

namespace txlab {

// Each command file registers its commands (see the file for the list).
void RegisterServerCommands(CommandTable& t);   // server_commands.cc
void RegisterKeyCommands(CommandTable& t);      // key_commands.cc
void RegisterExpireCommands(CommandTable& t);   // expire_commands.cc
void RegisterStringCommands(CommandTable& t);   // string_commands.cc
void RegisterHashCommands(CommandTable& t);     // hash_commands.cc
void RegisterListCommands(CommandTable& t);     // list_commands.cc
void RegisterSetCommands(CommandTable& t);      // set_commands.cc
void RegisterZSetCommands(CommandTable& t);     // zset_commands.cc
void RegisterMultiCommands(CommandTable& t);    // multi.cc

size_t CaseInsensitiveHash::operator()(std::string_view s) const noexcept {
  // FNV-1a over lower-cased bytes.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= static_cast<unsigned char>(c | ((c >= 'A' && c <= 'Z') ? 0x20 : 0));
    h *= 1099511628211ull;
  }
  return static_cast<size_t>(h);
}

bool CaseInsensitiveEq::operator()(std::string_view a, std::string_view b) const noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x == y) continue;
    if ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' || (x | 0x20) > 'z') return false;
  }
  return true;
}

void CommandTable::Add(CommandSpec spec) {
  for (char& c : spec.name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string name = spec.name;
  commands_.insert_or_assign(std::move(name), std::move(spec));
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  auto it = commands_.find(name);
  return it == commands_.end() ? nullptr : &it->second;
}

const CommandTable& CommandTable::Get() {
  static const CommandTable* table = [] {
    auto* t = new CommandTable();
    RegisterServerCommands(*t);
    RegisterKeyCommands(*t);
    RegisterExpireCommands(*t);
    RegisterStringCommands(*t);
    RegisterHashCommands(*t);
    RegisterListCommands(*t);
    RegisterSetCommands(*t);
    RegisterZSetCommands(*t);
    RegisterMultiCommands(*t);
    RegisterScriptCommands(*t);
    return t;
  }();
  return *table;
}

std::vector<std::string_view> CommandSpec::Keys(Args argv) const {
  std::vector<std::string_view> keys;
  if (first_key <= 0) return keys;
  int argc = static_cast<int>(argv.size());
  int last = last_key < 0 ? argc + last_key : last_key;
  int step = key_step > 0 ? key_step : 1;
  for (int i = first_key; i <= last && i < argc; i += step) keys.push_back(argv[i]);
  return keys;
}

// ---- errors ----------------------------------------------------------------

Reply ErrorReply(std::string_view msg) { return Reply::Error(std::string(msg)); }

namespace {

// rejectCommandFormat: protocol-breaking newlines become spaces.
Reply RejectFormat(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return Reply::Error(std::move(s));
}

}  // namespace

Reply UnknownCommandError(Args argv) {
  std::string args;
  for (size_t i = 1; i < argv.size() && args.size() < 128; ++i) {
    size_t room = 128 - args.size();
    args += '\'';
    args.append(argv[i].substr(0, room));
    args += "' ";
  }
  std::string name(argv.empty() ? std::string_view() : argv[0].substr(0, 128));
  return RejectFormat("ERR unknown command '" + name + "', with args beginning with: " + args);
}

Reply ArityError(std::string_view name) {
  return Reply::Error("ERR wrong number of arguments for '" + std::string(name) + "' command");
}

Reply UnknownSubcommandError(std::string_view container, std::string_view sub) {
  std::string upper(container);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return RejectFormat("ERR unknown subcommand '" + std::string(sub.substr(0, 128)) + "'. Try " + upper + " HELP.");
}

Reply InvalidExpireError(std::string_view command) {
  return Reply::Error("ERR invalid expire time in '" + std::string(command) + "' command");
}

}  // namespace txlab
