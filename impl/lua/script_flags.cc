#include "impl/lua/script_flags.h"

#include <strings.h>

#include <array>

namespace txlab {
namespace {

struct FlagName {
  uint32_t flag;
  std::string_view name;
};

// Redis's scripts_flags_def order (also the order of FUNCTION LIST's flags).
constexpr std::array<FlagName, 5> kFlags = {{
    {kScriptFlagNoWrites, "no-writes"},
    {kScriptFlagAllowOom, "allow-oom"},
    {kScriptFlagAllowStale, "allow-stale"},
    {kScriptFlagNoCluster, "no-cluster"},
    {kScriptFlagAllowCrossSlotKeys, "allow-cross-slot-keys"},
}};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// Splits on every occurrence of `sep`, keeping empty parts (sdssplitlen).
std::vector<std::string_view> SplitKeepEmpty(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  if (s.empty()) return parts;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

// Splits on runs of blanks (a simplified sdssplitargs: no quoting).
std::vector<std::string_view> SplitWords(std::string_view s) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\r') ++i;
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  return words;
}

}  // namespace

uint32_t ScriptFlagByName(std::string_view name, bool ignore_case) {
  for (const FlagName& f : kFlags) {
    if (ignore_case ? EqualsIgnoreCase(f.name, name) : f.name == name) return f.flag;
  }
  return 0;
}

std::vector<std::string> ScriptFlagNames(uint32_t flags) {
  std::vector<std::string> names;
  for (const FlagName& f : kFlags) {
    if (flags & f.flag) names.emplace_back(f.name);
  }
  return names;
}

std::optional<EvalShebang> ParseEvalShebang(std::string_view body, std::string* error) {
  EvalShebang result;
  if (body.substr(0, 2) != "#!") return result;
  result.flags = 0;  // a shebang, even without flags, leaves compat mode (S20)
  size_t newline = body.find('\n');
  size_t shebang_len = newline == std::string_view::npos ? body.size() : newline;
  result.code_offset = shebang_len;
  std::vector<std::string_view> parts = SplitKeepEmpty(body.substr(0, shebang_len), ' ');
  if (parts.empty() || parts[0] != "#!lua") {
    *error = "Unexpected engine in script shebang: " + std::string(parts.empty() ? "" : parts[0]);
    return std::nullopt;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    if (part.substr(0, 6) != "flags=") {
      *error = "Unknown lua shebang option: " + std::string(part);
      return std::nullopt;
    }
    for (std::string_view name : SplitKeepEmpty(part.substr(6), ',')) {
      uint32_t flag = ScriptFlagByName(name, /*ignore_case=*/false);
      if (flag == 0) {
        *error = "Unexpected flag in script shebang: " + std::string(name);
        return std::nullopt;
      }
      result.flags |= flag;
    }
  }
  return result;
}

std::optional<LibraryMetadata> ParseLibraryMetadata(std::string_view code, std::string* error) {
  if (code.substr(0, 2) != "#!") {
    *error = "Missing library metadata";
    return std::nullopt;
  }
  size_t newline = code.find('\n');
  if (newline == std::string_view::npos) {
    *error = "Invalid library metadata";
    return std::nullopt;
  }
  std::vector<std::string_view> parts = SplitWords(code.substr(0, newline));
  if (parts.empty()) {
    *error = "Invalid library metadata";
    return std::nullopt;
  }
  LibraryMetadata md;
  md.engine = std::string(parts[0].substr(2));
  md.code_offset = newline;
  bool have_name = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    if (part.size() >= 5 && strncasecmp(part.data(), "name=", 5) == 0) {
      if (have_name) {
        *error = "Invalid metadata value, name argument was given multiple times";
        return std::nullopt;
      }
      md.name = std::string(part.substr(5));
      have_name = true;
      continue;
    }
    *error = "Invalid metadata value given: " + std::string(part);
    return std::nullopt;
  }
  if (!have_name) {
    *error = "Library name was not given";
    return std::nullopt;
  }
  return md;
}

bool IsValidFunctionName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace txlab
