// Script flags (SEMANTICS S20) and the two shebang grammars that carry them:
//   EVAL bodies:        "#!lua flags=no-writes,allow-oom\n..."   (eval.c)
//   FUNCTION LOAD code: "#!lua name=mylib\n..."                   (functions.c)
// Both keep the newline that ends the shebang in the code handed to Lua, so
// line numbers in error messages stay those of the original text.
#ifndef TXLAB_IMPL_LUA_SCRIPT_FLAGS_H_
#define TXLAB_IMPL_LUA_SCRIPT_FLAGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace txlab {

enum ScriptFlag : uint32_t {
  kScriptFlagNoWrites = 1u << 0,             // "no-writes"
  kScriptFlagAllowOom = 1u << 1,             // "allow-oom"
  kScriptFlagAllowStale = 1u << 2,           // "allow-stale"
  kScriptFlagNoCluster = 1u << 3,            // "no-cluster"
  kScriptFlagAllowCrossSlotKeys = 1u << 4,   // "allow-cross-slot-keys"
  // Not a user flag: an EVAL body without shebang keeps the legacy
  // behaviour (S20), e.g. EVAL_RO refuses its writes one by one instead of
  // refusing to start it.
  kScriptFlagEvalCompatMode = 1u << 31,
};

// The flag named `name`, or 0. Shebang flags compare case-sensitively
// (strcmp in eval.c); register_function flags case-insensitively.
uint32_t ScriptFlagByName(std::string_view name, bool ignore_case);

// The names of the user flags set in `flags`, in Redis's order.
std::vector<std::string> ScriptFlagNames(uint32_t flags);

// The result of parsing an EVAL body.
struct EvalShebang {
  uint32_t flags = kScriptFlagEvalCompatMode;  // no shebang: compat mode
  size_t code_offset = 0;  // where the Lua code starts (at the shebang's '\n')
};

// Parses an EVAL body's optional shebang. On error returns nullopt and sets
// `error` to Redis's message without the "ERR " code, e.g.
// "Unexpected flag in script shebang: bogus".
std::optional<EvalShebang> ParseEvalShebang(std::string_view body, std::string* error);

// The result of parsing FUNCTION LOAD code.
struct LibraryMetadata {
  std::string engine;  // e.g. "lua" (engine names compare case-insensitively)
  std::string name;    // library name
  size_t code_offset = 0;
};

// Parses "#!<engine> name=<lib>". Errors as in functions.c, e.g. "Missing
// library metadata", "Library name was not given".
std::optional<LibraryMetadata> ParseLibraryMetadata(std::string_view code, std::string* error);

// Library and function names: [A-Za-z0-9_]+.
bool IsValidFunctionName(std::string_view name);

}  // namespace txlab

#endif  // TXLAB_IMPL_LUA_SCRIPT_FLAGS_H_
