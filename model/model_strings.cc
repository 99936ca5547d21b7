// String commands: GET SET SETNX GETSET GETDEL MGET MSET MSETNX INCR INCRBY
// DECR DECRBY INCRBYFLOAT APPEND STRLEN (Redis 7.0 t_string.c).
//
// Values are kept as the exact bytes Redis would return; INCR and friends
// store their result as its decimal text. Writes that keep a key's TTL:
// INCR*, DECR*, INCRBYFLOAT, APPEND, SET KEEPTTL. Writes that clear it: SET,
// GETSET, MSET, MSETNX.
#include <climits>
#include <cmath>

#include "model/model_parse.h"
#include "model/model_state.h"

namespace txlab::model_internal {

namespace {

Value StringValue(const std::string& s) {
  Value v;
  v.kind = Kind::kString;
  v.str = s;
  return v;
}

// setKey: the key becomes a string, whatever it was; the TTL is dropped
// unless keep_ttl. The caller touches.
void SetKey(Ctx& c, const std::string& key, const std::string& val, bool keep_ttl) {
  Entry* e = Lookup(c, key);
  if (e) {
    e->value = StringValue(val);
    if (!keep_ttl) e->expire_at_ms.reset();
  } else {
    Create(c, key, StringValue(val));
  }
}

// getGenericCommand as used by SET ... GET and GETSET: nil, the value, or
// WRONGTYPE (returned in *err).
bool GetForWrite(Ctx& c, const std::string& key, Reply* out) {
  Entry* e = Lookup(c, key);
  if (!e) {
    *out = Reply::Nil();
    return true;
  }
  if (e->value.kind != Kind::kString) {
    *out = WrongType();
    return false;
  }
  *out = Reply::Bulk(e->value.str);
  return true;
}

constexpr int kNx = 1, kXx = 2, kGet = 4, kKeepTtl = 8, kEx = 16, kPx = 32, kExat = 64, kPxat = 128;
constexpr int kAnyExpire = kEx | kPx | kExat | kPxat;

// setGenericCommand. `expire_arg` is null when no EX/PX/EXAT/PXAT was given.
Reply SetGeneric(Ctx& c, int flags, const std::string& key, const std::string& val,
                 const std::string* expire_arg, Reply ok_reply, Reply abort_reply) {
  int64_t when = 0;
  if (expire_arg) {
    // getExpireMillisecondsOrReply
    if (!ParseInt64(*expire_arg, &when)) return NotInteger();
    Reply bad = Reply::Error("ERR invalid expire time in 'set' command");
    bool seconds = flags & (kEx | kExat);
    if (when <= 0 || (seconds && when > LLONG_MAX / 1000)) return bad;
    if (seconds) when *= 1000;
    if (flags & (kEx | kPx)) {
      if (__builtin_add_overflow(when, c.m.now_ms, &when)) return bad;
    }
    if (when <= 0) return bad;
  }
  Reply old;
  if (flags & kGet) {
    if (!GetForWrite(c, key, &old)) return old;  // WRONGTYPE, nothing set
  }
  bool found = Lookup(c, key) != nullptr;
  if (((flags & kNx) && found) || ((flags & kXx) && !found)) {
    // T21: a failed conditional SET does not touch.
    return (flags & kGet) ? old : abort_reply;
  }
  SetKey(c, key, val, flags & kKeepTtl);
  Touch(c.m, c.s.db, key);  // T20, even if the value is unchanged
  if (expire_arg) SetExpireFromSet(c, key, when);
  return (flags & kGet) ? old : ok_reply;
}

Reply IncrDecr(Ctx& c, const std::string& key, int64_t incr) {
  Entry* e = Lookup(c, key);
  if (e && e->value.kind != Kind::kString) return WrongType();
  int64_t value = 0;
  if (e && !ParseInt64(e->value.str, &value)) return NotInteger();
  if ((incr < 0 && value < 0 && incr < (LLONG_MIN - value)) ||
      (incr > 0 && value > 0 && incr > (LLONG_MAX - value)))
    return Reply::Error("ERR increment or decrement would overflow");
  value += incr;
  if (e) {
    e->value.str = std::to_string(value);  // TTL kept
  } else {
    Create(c, key, StringValue(std::to_string(value)));
  }
  Touch(c.m, c.s.db, key);
  return Reply::Integer(value);
}

}  // namespace

Reply CmdGet(Ctx& c, const Argv& a) {
  Entry* e = Lookup(c, a[1]);
  if (!e) return Reply::Nil();
  if (e->value.kind != Kind::kString) return WrongType();
  return Reply::Bulk(e->value.str);
}

Reply CmdSet(Ctx& c, const Argv& a) {
  // parseExtendedStringArgumentsOrReply: each option is accepted only when
  // it does not conflict with one already seen; otherwise "syntax error".
  int flags = 0;
  const std::string* expire_arg = nullptr;
  for (size_t j = 3; j < a.size(); ++j) {
    std::string opt = Lower(a[j]);
    bool has_next = j + 1 < a.size();
    if (opt == "nx" && !(flags & kXx)) {
      flags |= kNx;
    } else if (opt == "xx" && !(flags & kNx)) {
      flags |= kXx;
    } else if (opt == "get") {
      flags |= kGet;
    } else if (opt == "keepttl" && !(flags & kAnyExpire)) {
      flags |= kKeepTtl;
    } else if (opt == "ex" && !(flags & (kKeepTtl | kExat | kPx | kPxat)) && has_next) {
      flags |= kEx;
      expire_arg = &a[++j];
    } else if (opt == "px" && !(flags & (kKeepTtl | kEx | kExat | kPxat)) && has_next) {
      flags |= kPx;
      expire_arg = &a[++j];
    } else if (opt == "exat" && !(flags & (kKeepTtl | kEx | kPx | kPxat)) && has_next) {
      flags |= kExat;
      expire_arg = &a[++j];
    } else if (opt == "pxat" && !(flags & (kKeepTtl | kEx | kExat | kPx)) && has_next) {
      flags |= kPxat;
      expire_arg = &a[++j];
    } else {
      return SyntaxError();  // T7: a run-time error, not a queue-time one
    }
  }
  return SetGeneric(c, flags, a[1], a[2], expire_arg, Reply::Ok(), Reply::Nil());
}

Reply CmdSetnx(Ctx& c, const Argv& a) {
  return SetGeneric(c, kNx, a[1], a[2], nullptr, Reply::Integer(1), Reply::Integer(0));
}

Reply CmdGetset(Ctx& c, const Argv& a) {
  Reply old;
  if (!GetForWrite(c, a[1], &old)) return old;
  SetKey(c, a[1], a[2], false);
  Touch(c.m, c.s.db, a[1]);
  return old;
}

Reply CmdGetdel(Ctx& c, const Argv& a) {
  Entry* e = Lookup(c, a[1]);
  if (!e) return Reply::Nil();
  if (e->value.kind != Kind::kString) return WrongType();
  Reply r = Reply::Bulk(e->value.str);
  Delete(c, a[1]);
  Touch(c.m, c.s.db, a[1]);
  return r;
}

Reply CmdMget(Ctx& c, const Argv& a) {
  std::vector<Reply> out;
  for (size_t i = 1; i < a.size(); ++i) {
    Entry* e = Lookup(c, a[i]);
    // A missing key and a key of another type both read as nil.
    out.push_back(e && e->value.kind == Kind::kString ? Reply::Bulk(e->value.str) : Reply::Nil());
  }
  return Reply::Array(std::move(out));
}

Reply CmdMset(Ctx& c, const Argv& a) {
  if (a.size() % 2 == 0) return ArityError("mset");  // run-time, not queue-time
  for (size_t j = 1; j < a.size(); j += 2) {
    SetKey(c, a[j], a[j + 1], false);
    Touch(c.m, c.s.db, a[j]);
  }
  return Reply::Ok();
}

Reply CmdMsetnx(Ctx& c, const Argv& a) {
  if (a.size() % 2 == 0) return ArityError("msetnx");
  // Stops at the first existing key (later stale keys stay un-deleted).
  for (size_t j = 1; j < a.size(); j += 2) {
    if (Lookup(c, a[j])) return Reply::Integer(0);
  }
  for (size_t j = 1; j < a.size(); j += 2) {
    SetKey(c, a[j], a[j + 1], false);
    Touch(c.m, c.s.db, a[j]);
  }
  return Reply::Integer(1);
}

Reply CmdIncr(Ctx& c, const Argv& a) { return IncrDecr(c, a[1], 1); }
Reply CmdDecr(Ctx& c, const Argv& a) { return IncrDecr(c, a[1], -1); }

Reply CmdIncrby(Ctx& c, const Argv& a) {
  int64_t incr;
  if (!ParseInt64(a[2], &incr)) return NotInteger();  // before the type check
  return IncrDecr(c, a[1], incr);
}

Reply CmdDecrby(Ctx& c, const Argv& a) {
  int64_t incr;
  if (!ParseInt64(a[2], &incr)) return NotInteger();
  if (incr == LLONG_MIN) return Reply::Error("ERR decrement would overflow");
  return IncrDecr(c, a[1], -incr);
}

Reply CmdIncrbyfloat(Ctx& c, const Argv& a) {
  Entry* e = Lookup(c, a[1]);
  if (e && e->value.kind != Kind::kString) return WrongType();
  long double value = 0, incr = 0;
  if ((e && !ParseLongDouble(e->value.str, &value)) || !ParseLongDouble(a[2], &incr)) return NotFloat();
  value += incr;
  if (std::isnan(value) || std::isinf(value)) return Reply::Error("ERR increment would produce NaN or Infinity");
  std::string text = FormatLongDoubleHuman(value);
  if (e) {
    e->value.str = text;  // TTL kept
  } else {
    Create(c, a[1], StringValue(text));
  }
  Touch(c.m, c.s.db, a[1]);
  return Reply::Bulk(text);
}

Reply CmdAppend(Ctx& c, const Argv& a) {
  Entry* e = Lookup(c, a[1]);
  if (!e) {
    Create(c, a[1], StringValue(a[2]));
    Touch(c.m, c.s.db, a[1]);
    return Reply::Integer(static_cast<int64_t>(a[2].size()));
  }
  if (e->value.kind != Kind::kString) return WrongType();
  e->value.str += a[2];  // TTL kept
  Touch(c.m, c.s.db, a[1]);
  return Reply::Integer(static_cast<int64_t>(e->value.str.size()));
}

Reply CmdStrlen(Ctx& c, const Argv& a) {
  Entry* e = Lookup(c, a[1]);
  if (!e) return Reply::Integer(0);
  if (e->value.kind != Kind::kString) return WrongType();
  return Reply::Integer(static_cast<int64_t>(e->value.str.size()));
}

}  // namespace txlab::model_internal
