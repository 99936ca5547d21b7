#include "impl/lua/conversion.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

namespace txlab {

namespace {

// Pushes {err="<code> <msg>"}, msg trimmed of CR/LF at both ends
// (luaPushErrorBuff). No C++ allocation: safe inside lua_CFunctions.
void PushErrorParts(lua_State* L, std::string_view code, std::string_view msg) {
  while (!msg.empty() && (msg.front() == '\r' || msg.front() == '\n')) msg.remove_prefix(1);
  while (!msg.empty() && (msg.back() == '\r' || msg.back() == '\n')) msg.remove_suffix(1);
  lua_createtable(L, 0, 1);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, code.data(), code.size());
  luaL_addchar(&b, ' ');
  luaL_addlstring(&b, msg.data(), msg.size());
  luaL_pushresult(&b);
  lua_setfield(L, -2, "err");
}

}  // namespace

void PushErrorTable(lua_State* L, std::string_view error) {
  // "-CODE msg" keeps its code (a lone "-CODE" becomes "ERR CODE");
  // anything else is "ERR <error>".
  if (!error.empty() && error[0] == '-') {
    size_t space = error.find(' ');
    if (space == std::string_view::npos) {
      PushErrorParts(L, "ERR", error.substr(1));
    } else {
      PushErrorParts(L, error.substr(1, space - 1), error.substr(space + 1));
    }
    return;
  }
  PushErrorParts(L, "ERR", error);
}

namespace {
void PushView(lua_State* L, std::string_view s) { lua_pushlstring(L, s.data(), s.size()); }
}  // namespace

void PushReply(lua_State* L, const Reply& reply, int resp) {
  luaL_checkstack(L, 4, "reached lua stack limit");
  switch (reply.type()) {
    case Reply::Type::kStatus:
      lua_createtable(L, 0, 1);
      lua_pushlstring(L, reply.str().data(), reply.str().size());
      lua_setfield(L, -2, "ok");
      return;
    case Reply::Type::kError: {
      // As Redis does with "-" + the reply: split the code at the first space.
      std::string_view e = reply.str();
      size_t space = e.find(' ');
      if (space == std::string_view::npos) {
        PushErrorParts(L, "ERR", e);
      } else {
        PushErrorParts(L, e.substr(0, space), e.substr(space + 1));
      }
      return;
    }
    case Reply::Type::kInteger:
      // Lua 5.4 keeps 64-bit integers exact (5.1 converted to double); the
      // value converts back through double on return, as in Redis (S10).
      lua_pushinteger(L, reply.integer());
      return;
    case Reply::Type::kBulk:
      lua_pushlstring(L, reply.str().data(), reply.str().size());
      return;
    case Reply::Type::kNil:
    case Reply::Type::kNilArray:
      if (resp == 3) {
        lua_pushnil(L);
      } else {
        lua_pushboolean(L, 0);
      }
      return;
    case Reply::Type::kBigNumber:
      if (resp == 3) {
        lua_createtable(L, 0, 1);
        PushView(L, reply.str());
        lua_setfield(L, -2, "big_number");
      } else {
        PushView(L, reply.str());
      }
      return;
    case Reply::Type::kVerbatim:
      if (resp == 3) {
        // {verbatim_string={format="txt", string=…}}, as Redis 7.0.
        lua_createtable(L, 0, 1);
        lua_createtable(L, 0, 2);
        PushView(L, reply.verbatim_format());
        lua_setfield(L, -2, "format");
        PushView(L, reply.verbatim_text());
        lua_setfield(L, -2, "string");
        lua_setfield(L, -2, "verbatim_string");
      } else {
        PushView(L, reply.verbatim_text());
      }
      return;
    case Reply::Type::kSet:
      if (resp == 3) {
        // {set={member=true, …}}, as Redis 7.0.
        lua_createtable(L, 0, 1);
        lua_createtable(L, 0, static_cast<int>(reply.elems().size()));
        for (const Reply& m : reply.elems()) {
          PushReply(L, m, resp);
          lua_pushboolean(L, 1);
          lua_rawset(L, -3);
        }
        lua_setfield(L, -2, "set");
        return;
      }
      [[fallthrough]];  // RESP2: an array
    case Reply::Type::kArray: {
      const auto& elems = reply.elems();
      lua_createtable(L, static_cast<int>(elems.size()), 0);
      for (size_t i = 0; i < elems.size(); ++i) {
        PushReply(L, elems[i], resp);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
      return;
    }
    case Reply::Type::kDouble:
      if (resp == 3) {
        lua_createtable(L, 0, 1);
        lua_pushnumber(L, reply.dbl());
        lua_setfield(L, -2, "double");
      } else {
        // RESP2 sends a double as a bulk string.
        char buf[64];
        int n = std::snprintf(buf, sizeof(buf), "%.17g", reply.dbl());
        lua_pushlstring(L, buf, static_cast<size_t>(n));
      }
      return;
    case Reply::Type::kBool:
      if (resp == 3) {
        lua_pushboolean(L, reply.integer() != 0);
      } else {
        lua_pushinteger(L, reply.integer() != 0 ? 1 : 0);
      }
      return;
    case Reply::Type::kMap: {
      const auto& kvs = reply.elems();
      if (resp == 3) {
        lua_createtable(L, 0, 1);
        lua_createtable(L, 0, static_cast<int>(kvs.size() / 2));
        for (size_t i = 0; i + 1 < kvs.size(); i += 2) {
          PushReply(L, kvs[i], resp);
          PushReply(L, kvs[i + 1], resp);
          lua_rawset(L, -3);
        }
        lua_setfield(L, -2, "map");
      } else {
        // RESP2: a flat array k1 v1 k2 v2 …
        lua_createtable(L, static_cast<int>(kvs.size()), 0);
        for (size_t i = 0; i < kvs.size(); ++i) {
          PushReply(L, kvs[i], resp);
          lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
        }
      }
      return;
    }
  }
  lua_pushboolean(L, 0);
}

int64_t DoubleToLongLong(double d) {
  // 2^63 is exactly representable; anything >= it or < -2^63 overflows.
  constexpr double kTwo63 = 9223372036854775808.0;
  if (std::isnan(d) || d >= kTwo63 || d < -kTwo63) return INT64_MIN;
  return static_cast<int64_t>(d);
}

size_t FormatNumberArg(lua_Number n, char* buf) {
  double d = static_cast<double>(n);
  // Fast path, same text: an integral double below 1e15 in magnitude is
  // printed by "%.17g" as its plain digits (no exponent, no fraction). -0.0
  // is excluded ("%.17g" prints "-0").
  if (d == std::trunc(d) && std::fabs(d) < 1e15 && !(d == 0 && std::signbit(d))) {
    char* end = std::to_chars(buf, buf + 32, static_cast<int64_t>(d)).ptr;
    return static_cast<size_t>(end - buf);
  }
  int len = std::snprintf(buf, 32, "%.17g", d);
  return static_cast<size_t>(len);
}

std::string SingleLine(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

namespace {

std::string TrimCrLf(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  return SingleLine(s);
}

// Reads t[field] (raw) at table index `t`; leaves nothing on the stack.
// Returns the Lua type found.
int RawField(lua_State* L, int t, const char* field) {
  lua_pushstring(L, field);
  return lua_rawget(L, t);
}

class ReplyBuilder {
 public:
  ReplyBuilder(lua_State* L, int resp, size_t max_bytes) : L_(L), resp_(resp), budget_(max_bytes) {}

  // Converts the value at absolute index `idx`.
  Reply Convert(int idx, int depth) {
    if (failed_) return Reply();
    if (depth > kMaxReplyDepth || !lua_checkstack(L_, 4)) return Fail("ERR reached lua stack limit");
    if (!Charge(sizeof(Reply))) return Reply();
    switch (lua_type(L_, idx)) {
      case LUA_TSTRING: {
        size_t len;
        const char* s = lua_tolstring(L_, idx, &len);
        if (!Charge(len)) return Reply();
        return Reply::Bulk(std::string(s, len));
      }
      case LUA_TBOOLEAN:
        if (resp_ == 3) return Reply::Bool(lua_toboolean(L_, idx));
        return lua_toboolean(L_, idx) ? Reply::Integer(1) : Reply::Nil();
      case LUA_TNUMBER:
        // Through double even for integers (S10: 2^53+1 → 2^53).
        return Reply::Integer(DoubleToLongLong(static_cast<double>(lua_tonumber(L_, idx))));
      case LUA_TTABLE:
        return ConvertTable(idx, depth);
      default:
        return Reply::Nil();
    }
  }

  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }

 private:
  Reply ConvertTable(int t, int depth) {
    int top = lua_gettop(L_);
    // {err=...}: an error reply.
    if (RawField(L_, t, "err") == LUA_TSTRING) {
      std::string msg = TrimCrLf(lua_tostring(L_, -1));
      lua_settop(L_, top);
      return Reply::Error(std::move(msg));
    }
    lua_settop(L_, top);
    if (RawField(L_, t, "ok") == LUA_TSTRING) {
      std::string msg = SingleLine(lua_tostring(L_, -1));
      lua_settop(L_, top);
      return Reply::Status(std::move(msg));
    }
    lua_settop(L_, top);
    if (RawField(L_, t, "double") == LUA_TNUMBER) {
      double d = lua_tonumber(L_, -1);
      lua_settop(L_, top);
      return Reply::Double(d);
    }
    lua_settop(L_, top);
    if (RawField(L_, t, "big_number") == LUA_TSTRING) {
      std::string s = SingleLine(lua_tostring(L_, -1));
      lua_settop(L_, top);
      return Reply::BigNumber(std::move(s));
    }
    lua_settop(L_, top);
    if (RawField(L_, t, "verbatim_string") == LUA_TTABLE) {
      int v = lua_gettop(L_);
      if (RawField(L_, v, "format") == LUA_TSTRING && RawField(L_, v, "string") == LUA_TSTRING) {
        size_t len;
        const char* s = lua_tolstring(L_, -1, &len);
        std::string text(s, len);
        Reply r = Reply::Verbatim(text, lua_tostring(L_, -2));
        lua_settop(L_, top);
        return r;
      }
    }
    lua_settop(L_, top);
    if (RawField(L_, t, "map") == LUA_TTABLE) {
      int m = lua_gettop(L_);
      std::vector<Reply> kvs;
      lua_pushnil(L_);
      while (lua_next(L_, m) != 0) {
        int v = lua_gettop(L_);
        kvs.push_back(Convert(v - 1, depth + 1));
        kvs.push_back(Convert(v, depth + 1));
        lua_settop(L_, v - 1);
        if (failed_) break;
      }
      lua_settop(L_, top);
      return Reply::Map(std::move(kvs));
    }
    lua_settop(L_, top);
    if (RawField(L_, t, "set") == LUA_TTABLE) {
      int s = lua_gettop(L_);
      std::vector<Reply> members;
      lua_pushnil(L_);
      while (lua_next(L_, s) != 0) {
        int v = lua_gettop(L_);
        members.push_back(Convert(v - 1, depth + 1));
        lua_settop(L_, v - 1);
        if (failed_) break;
      }
      lua_settop(L_, top);
      return Reply::Set(std::move(members));
    }
    lua_settop(L_, top);
    // An array, truncated at the first nil (S10).
    std::vector<Reply> elems;
    for (lua_Integer j = 1;; ++j) {
      if (lua_rawgeti(L_, t, j) == LUA_TNIL) break;
      elems.push_back(Convert(lua_gettop(L_), depth + 1));
      lua_settop(L_, top);
      if (failed_) break;
    }
    lua_settop(L_, top);
    return Reply::Array(std::move(elems));
  }

  bool Charge(size_t bytes) {
    if (bytes > budget_) {
      Fail("ERR reply too large for the script memory limit");
      return false;
    }
    budget_ -= bytes;
    return true;
  }

  Reply Fail(std::string msg) {
    if (!failed_) {
      failed_ = true;
      error_ = std::move(msg);
    }
    return Reply();
  }

  lua_State* L_;
  int resp_;
  size_t budget_;
  bool failed_ = false;
  std::string error_;
};

}  // namespace

Reply LuaToReply(lua_State* L, int index, int resp, size_t max_bytes) {
  int idx = lua_absindex(L, index);
  int top = lua_gettop(L);
  ReplyBuilder builder(L, resp, max_bytes);
  Reply r = builder.Convert(idx, 0);
  lua_settop(L, top);
  if (builder.failed()) return Reply::Error(builder.error());
  return r;
}

std::string ErrorObjectMessage(lua_State* L, int index) {
  int idx = lua_absindex(L, index);
  if (lua_type(L, idx) == LUA_TSTRING) return std::string("ERR ") + lua_tostring(L, idx);
  if (lua_type(L, idx) == LUA_TTABLE) {
    int top = lua_gettop(L);
    std::string msg = "ERR unknown error";
    // lua_isstring: a number counts, as in luaExtractErrorInformation.
    int t = RawField(L, idx, "err");
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
      size_t len;
      const char* s = lua_tolstring(L, -1, &len);  // converts the stack copy only
      msg.assign(s, len);
    }
    lua_settop(L, top);
    return msg;
  }
  return "ERR unknown error";
}

}  // namespace txlab
