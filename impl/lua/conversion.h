// Conversions between Lua values and Replies, and Redis's error-table
// convention (SEMANTICS S8, S10-S12; script_lua.c).
//
// Redis represents errors inside Lua as tables {err="CODE message"} and
// statuses as {ok="text"}; RESP3 types as {double=…}, {map={…}}, {set={…}}.
// These functions keep exactly that representation.
//
// REQUIRES for every function that pushes: the caller is in a context where a
// Lua error (out of memory) may be raised, i.e. inside a protected call, or
// accepts that an out-of-memory error outside one aborts.
#ifndef TXLAB_IMPL_LUA_CONVERSION_H_
#define TXLAB_IMPL_LUA_CONVERSION_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <lua.hpp>

#include "model/reply.h"

namespace txlab {

// Pushes {err="CODE message"} built as luaPushErrorBuff does: "-CODE msg"
// keeps its code, text without a leading '-' gets "ERR ". Trailing CR/LF are
// trimmed from the message.
void PushErrorTable(lua_State* L, std::string_view error);

// Pushes `reply` converted for a script speaking RESP `resp` (2 or 3), as
// redisProtocolToLuaType does (S11): integer → integer, bulk → string,
// nil → false (RESP2) or nil (RESP3), status → {ok=…}, error → {err=…},
// array → table; RESP3 double/bool/map are converted to RESP2 shapes unless
// resp is 3.
void PushReply(lua_State* L, const Reply& reply, int resp);

// Converts the Lua value at `index` into the reply a client receives (S10):
// numbers truncate toward zero through double ((long long) cast semantics,
// out-of-range and NaN give INT64_MIN), strings are bulks, true is :1 (RESP2)
// and false/nil are nil, tables are error/status/double/map/set/array.
// `resp` is the script's protocol (redis.setresp), which decides booleans.
// Nesting deeper than kMaxReplyDepth, or a reply larger than `max_bytes`
// (estimated), gives an error reply instead. Does not modify the stack.
Reply LuaToReply(lua_State* L, int index, int resp, size_t max_bytes);

constexpr int kMaxReplyDepth = 1000;

// (long long)d without undefined behaviour: NaN and out-of-range give INT64_MIN,
// as the x86 cvttsd2si instruction Redis relies on does.
int64_t DoubleToLongLong(double d);

// A Lua number formatted as a command argument: "%.17g" of its double (S12).
// Writes into buf (at least 32 bytes); returns the length.
size_t FormatNumberArg(lua_Number n, char* buf);

// The message of an error object raised by a script (a {err=…} table or a
// string), for contexts that do not add a script location.
std::string ErrorObjectMessage(lua_State* L, int index);

// Replaces CR and LF by spaces (error and status lines are single lines).
std::string SingleLine(std::string_view s);

}  // namespace txlab

#endif  // TXLAB_IMPL_LUA_CONVERSION_H_
