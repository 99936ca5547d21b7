// The command table: construction (the one list of all command files) and
// lookup, plus the shared error-reply builders.
#include <cctype>
#include <cstring>
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

namespace {

// Hash of a command name, case-insensitive: the first 16 bytes with the
// ASCII case bit forced, mixed with the length. (Forcing the bit also maps
// some non-letters together; that only costs a probe, equality is exact.)
inline uint64_t NameHash(std::string_view s) {
  uint64_t a = 0, b = 0;
  size_t n = s.size();
  std::memcpy(&a, s.data(), n < 8 ? n : 8);
  if (n > 8) std::memcpy(&b, s.data() + 8, n - 8 < 8 ? n - 8 : 8);
  a |= 0x2020202020202020ull;
  b |= 0x2020202020202020ull;
  uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^ (n * 0x165667B19E3779F9ull);
  return h ^ (h >> 31);
}

// `lower` is stored lower case; `in` may be any case.
inline bool EqualsLower(std::string_view in, const std::string& lower) {
  if (in.size() != lower.size()) return false;
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    if (c != static_cast<unsigned char>(lower[i])) return false;
  }
  return true;
}

}  // namespace

void CommandTable::Add(CommandSpec spec) {
  for (char& c : spec.name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string name = spec.name;
  commands_.insert_or_assign(std::move(name), std::move(spec));
  RebuildIndex();
}

void CommandTable::RebuildIndex() {
  size_t size = 16;
  while (size < commands_.size() * 4) size *= 2;
  index_.assign(size, nullptr);
  for (const auto& [name, spec] : commands_) {
    size_t i = NameHash(name) & (size - 1);
    while (index_[i] != nullptr) i = (i + 1) & (size - 1);
    index_[i] = &spec;
  }
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  if (index_.empty()) return nullptr;
  size_t mask = index_.size() - 1;
  for (size_t i = NameHash(name) & mask;; i = (i + 1) & mask) {
    const CommandSpec* c = index_[i];
    if (c == nullptr) return nullptr;
    if (EqualsLower(name, c->name)) return c;
  }
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
