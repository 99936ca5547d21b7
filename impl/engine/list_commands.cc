// List commands (t_list.c): LPUSH RPUSH LPOP RPOP LRANGE LLEN LINDEX LREM LPOS
// LINSERT LSET LTRIM, and the blocking BLPOP BRPOP.
//
// Blocking: outside MULTI and scripts, BLPOP/BRPOP on empty lists wait on
// EngineState::key_ready, which releases the engine mutex while waiting, and
// retry whenever a key may have become ready. The timeout is measured in real
// (steady) time, not through the Clock: a VirtualClock would never wake a
// waiter. Waiters are not served in FIFO order (Redis serves the longest
// waiting client first); whichever wakes first wins.
#include <chrono>
#include <cmath>
#include <climits>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "impl/engine/db.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/parse.h"

namespace txlab {

namespace {

Reply WrongType() { return ErrorReply(errors::kWrongType); }

Reply PushGeneric(ExecContext& ctx, Args argv, bool left) {
  bool wrong;
  ListValue* l = LookupOrCreate<ListValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  for (size_t i = 2; i < argv.size(); ++i) {
    if (left) {
      l->emplace_front(argv[i]);
    } else {
      l->emplace_back(argv[i]);
    }
  }
  int64_t len = static_cast<int64_t>(l->size());
  SignalModifiedKey(ctx, argv[1]);  // also wakes BLPOP waiters
  return Reply::Integer(len);
}

Reply LPushCommand(ExecContext& ctx, Args argv) { return PushGeneric(ctx, argv, true); }
Reply RPushCommand(ExecContext& ctx, Args argv) { return PushGeneric(ctx, argv, false); }

// popGenericCommand: LPOP key [count].
Reply PopGeneric(ExecContext& ctx, Args argv, bool left) {
  if (argv.size() > 3) return ArityError(left ? "lpop" : "rpop");
  bool has_count = argv.size() == 3;
  int64_t count = 0;
  if (has_count) {
    // getPositiveLongFromObjectOrReply passes its message down, so a
    // non-integer count gets the "must be positive" text too.
    if (!ParseInt64(argv[2], &count) || count < 0) return ErrorReply(errors::kOutOfRangePositive);
  }
  bool wrong;
  ListValue* l = LookupAs<ListValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (l == nullptr) return has_count ? Reply::NilArray() : Reply::Nil();
  if (has_count && count == 0) return Reply::Array();
  Reply reply;
  if (!has_count) {
    std::string v = left ? std::move(l->front()) : std::move(l->back());
    left ? l->pop_front() : l->pop_back();
    reply = Reply::Bulk(std::move(v));
  } else {
    std::vector<Reply> out;
    while (count-- > 0 && !l->empty()) {
      out.push_back(Reply::Bulk(left ? std::move(l->front()) : std::move(l->back())));
      left ? l->pop_front() : l->pop_back();
    }
    reply = Reply::Array(std::move(out));
  }
  DeleteIfEmpty(ctx, argv[1]);
  SignalModifiedKey(ctx, argv[1]);
  return reply;
}

Reply LPopCommand(ExecContext& ctx, Args argv) { return PopGeneric(ctx, argv, true); }
Reply RPopCommand(ExecContext& ctx, Args argv) { return PopGeneric(ctx, argv, false); }

Reply LRangeCommand(ExecContext& ctx, Args argv) {
  int64_t start, end;
  if (!ParseInt64(argv[2], &start) || !ParseInt64(argv[3], &end)) return ErrorReply(errors::kNotInteger);
  bool wrong;
  const ListValue* l = LookupAs<ListValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  std::vector<Reply> out;
  if (l == nullptr) return Reply::Array();
  int64_t len = static_cast<int64_t>(l->size());
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return Reply::Array();
  if (end >= len) end = len - 1;
  out.reserve(static_cast<size_t>(end - start + 1));
  for (int64_t i = start; i <= end; ++i) out.push_back(Reply::Bulk((*l)[static_cast<size_t>(i)]));
  return Reply::Array(std::move(out));
}

Reply LLenCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const ListValue* l = LookupAs<ListValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  return Reply::Integer(l == nullptr ? 0 : static_cast<int64_t>(l->size()));
}

// LINDEX key index. Redis looks the key up before parsing the index, so a
// missing key is nil and a wrong type WRONGTYPE whatever the index says.
Reply LIndexCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const ListValue* l = LookupAs<ListValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (l == nullptr) return Reply::Nil();
  int64_t index;
  if (!ParseInt64(argv[2], &index)) return ErrorReply(errors::kNotInteger);
  int64_t len = static_cast<int64_t>(l->size());
  if (index < 0) index += len;
  if (index < 0 || index >= len) return Reply::Nil();
  return Reply::Bulk((*l)[static_cast<size_t>(index)]);
}

// LREM key count element: count > 0 from the head, < 0 from the tail, 0 all.
Reply LRemCommand(ExecContext& ctx, Args argv) {
  int64_t count;
  if (!ParseInt64(argv[2], &count)) return ErrorReply(errors::kNotInteger);
  bool wrong;
  ListValue* l = LookupAs<ListValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (l == nullptr) return Reply::Integer(0);
  std::string_view elem = argv[3];
  int64_t removed = 0;
  if (count >= 0) {
    for (auto it = l->begin(); it != l->end();) {
      if (*it == elem && (count == 0 || removed < count)) {
        it = l->erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
  } else {
    int64_t limit = count == INT64_MIN ? INT64_MAX : -count;
    for (size_t i = l->size(); i-- > 0 && removed < limit;) {
      if ((*l)[i] == elem) {
        l->erase(l->begin() + static_cast<std::ptrdiff_t>(i));
        ++removed;
      }
    }
  }
  if (removed > 0) {
    DeleteIfEmpty(ctx, argv[1]);
    SignalModifiedKey(ctx, argv[1]);
  }
  return Reply::Integer(removed);
}

// ---- BLPOP / BRPOP ---------------------------------------------------------

// Tries to pop from the first non-empty list among the keys. Returns true
// with *reply set ([key, value] or an error) if done.
bool TryBlockingPop(ExecContext& ctx, Args keys, bool left, Reply* reply) {
  for (std::string_view key : keys) {
    bool wrong;
    ListValue* l = LookupAs<ListValue>(ctx, key, &wrong);
    if (wrong) {
      *reply = WrongType();
      return true;
    }
    if (l == nullptr || l->empty()) continue;
    std::string v = left ? std::move(l->front()) : std::move(l->back());
    left ? l->pop_front() : l->pop_back();
    DeleteIfEmpty(ctx, key);
    SignalModifiedKey(ctx, key);
    *reply = Reply::Array({Reply::Bulk(key), Reply::Bulk(std::move(v))});
    return true;
  }
  return false;
}

Reply BlockingPopGeneric(ExecContext& ctx, Args argv, bool left) {
  // getTimeoutFromObjectOrReply (seconds, may be fractional).
  long double seconds;
  if (!ParseLongDouble(argv.back(), &seconds)) return ErrorReply("ERR timeout is not a float or out of range");
  long double ms_ld = seconds * 1000.0L;
  if (std::isinf(ms_ld) || ms_ld > static_cast<long double>(LLONG_MAX) || ms_ld < static_cast<long double>(LLONG_MIN))
    return ErrorReply("ERR timeout is out of range");
  int64_t timeout_ms = static_cast<int64_t>(ms_ld);
  if (timeout_ms < 0) return ErrorReply("ERR timeout is negative");
  Args keys = argv.subspan(1, argv.size() - 2);

  Reply reply;
  if (TryBlockingPop(ctx, keys, left, &reply)) return reply;
  // Inside MULTI/EXEC or a script: behave as if timed out (T13, S16).
  if (!ctx.may_block()) return Reply::NilArray();

  EngineState& e = ctx.engine;
  e.mu.AssertHeld();
  using SteadyClock = std::chrono::steady_clock;
  const bool forever = timeout_ms == 0;
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms);
  ++e.blocked_waiters;
  bool served = false;
  while (!served) {
    if (forever) {
      e.key_ready.wait(e.mu);
    } else if (e.key_ready.wait_until(e.mu, deadline) == std::cv_status::timeout) {
      // One last look: a push may have raced with the timeout.
      ctx.now_ms = ExecContext::kNotRead;
      served = TryBlockingPop(ctx, keys, left, &reply);
      break;
    }
    ctx.now_ms = ExecContext::kNotRead;  // time has moved on while waiting
    served = TryBlockingPop(ctx, keys, left, &reply);
  }
  --e.blocked_waiters;
  return served ? reply : Reply::NilArray();
}

Reply BLPopCommand(ExecContext& ctx, Args argv) { return BlockingPopGeneric(ctx, argv, true); }
Reply BRPopCommand(ExecContext& ctx, Args argv) { return BlockingPopGeneric(ctx, argv, false); }


// ---- LPOS LINSERT LSET LTRIM ---------------------------------------------------

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] (lposCommand):
// options are parsed (the last of each wins) before the key is looked up.
// Without COUNT: the index or nil; with COUNT: an array (COUNT 0: all).
// RANK's sign picks the direction; Redis negates it in a C long, so RANK
// INT64_MIN stays negative: every match is at or past it, and the COUNT test
// (matches - rank + 1 >= count) overflows to false, which the unsigned
// arithmetic below reproduces.
Reply LPosCommand(ExecContext& ctx, Args argv) {
  int64_t rank = 1, count = -1, maxlen = 0;
  for (size_t j = 3; j < argv.size(); ++j) {
    const bool more = j + 1 < argv.size();
    if (EqualsIgnoreCase(argv[j], "rank") && more) {
      if (!ParseInt64(argv[++j], &rank)) return ErrorReply(errors::kNotInteger);
      if (rank == 0) {
        return ErrorReply(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to "
            "start from the end of the list");
      }
    } else if (EqualsIgnoreCase(argv[j], "count") && more) {
      if (!ParseInt64(argv[++j], &count) || count < 0) return ErrorReply("ERR COUNT can't be negative");
    } else if (EqualsIgnoreCase(argv[j], "maxlen") && more) {
      if (!ParseInt64(argv[++j], &maxlen) || maxlen < 0) return ErrorReply("ERR MAXLEN can't be negative");
    } else {
      return ErrorReply(errors::kSyntax);
    }
  }
  const bool from_tail = rank < 0;
  if (from_tail) rank = static_cast<int64_t>(0 - static_cast<uint64_t>(rank));  // wraps for INT64_MIN
  bool wrong;
  const ListValue* l = LookupAs<ListValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (l == nullptr) return count != -1 ? Reply::Array() : Reply::Nil();
  const auto len = static_cast<int64_t>(l->size());
  std::vector<Reply> out;
  int64_t matches = 0;
  for (int64_t index = 0; index < len && (maxlen == 0 || index < maxlen); ++index) {
    const int64_t pos = from_tail ? len - index - 1 : index;
    if ((*l)[static_cast<size_t>(pos)] != argv[2]) continue;
    ++matches;
    if (matches < rank) continue;
    if (count == -1) return Reply::Integer(pos);
    out.push_back(Reply::Integer(pos));
    const auto seen = static_cast<int64_t>(static_cast<uint64_t>(matches) - static_cast<uint64_t>(rank) + 1);
    if (count != 0 && seen >= count) break;
  }
  return count == -1 ? Reply::Nil() : Reply::Array(std::move(out));
}

// LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the
// pivot (no touch), 0 for a missing key; BEFORE/AFTER checked first.
Reply LInsertCommand(ExecContext& ctx, Args argv) {
  bool after;
  if (EqualsIgnoreCase(argv[2], "after")) {
    after = true;
  } else if (EqualsIgnoreCase(argv[2], "before")) {
    after = false;
  } else {
    return ErrorReply(errors::kSyntax);
  }
  bool wrong;
  ListValue* l = LookupAs<ListValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (l == nullptr) return Reply::Integer(0);
  for (auto it = l->begin(); it != l->end(); ++it) {
    if (*it != argv[3]) continue;
    l->insert(after ? std::next(it) : it, std::string(argv[4]));
    SignalModifiedKey(ctx, argv[1]);
    return Reply::Integer(static_cast<int64_t>(l->size()));
  }
  return Reply::Integer(-1);
}

// LSET key index element: the key is looked up before the index is parsed;
// a successful LSET touches even when the value is the same (T20).
Reply LSetCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  ListValue* l = LookupAs<ListValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (l == nullptr) return ErrorReply(errors::kNoSuchKey);
  int64_t index;
  if (!ParseInt64(argv[2], &index)) return ErrorReply(errors::kNotInteger);
  const auto len = static_cast<int64_t>(l->size());
  if (index < 0) index += len;
  if (index < 0 || index >= len) return ErrorReply("ERR index out of range");
  (*l)[static_cast<size_t>(index)] = std::string(argv[3]);
  SignalModifiedKey(ctx, argv[1]);
  return Reply::Ok();
}

// LTRIM key start stop: indexes parsed first; a missing key is OK; an
// existing list is always touched, even if nothing was trimmed (Redis
// signals unconditionally), and deleted if emptied.
Reply LTrimCommand(ExecContext& ctx, Args argv) {
  int64_t start, end;
  if (!ParseInt64(argv[2], &start) || !ParseInt64(argv[3], &end)) return ErrorReply(errors::kNotInteger);
  bool wrong;
  ListValue* l = LookupAs<ListValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (l == nullptr) return Reply::Ok();
  const auto len = static_cast<int64_t>(l->size());
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    l->clear();
  } else {
    if (end >= len) end = len - 1;
    l->erase(l->begin() + end + 1, l->end());
    l->erase(l->begin(), l->begin() + start);
  }
  DeleteIfEmpty(ctx, argv[1]);
  SignalModifiedKey(ctx, argv[1]);
  return Reply::Ok();
}

}  // namespace

void RegisterListCommands(CommandTable& t) {
  t.Add({"lpush", -3, kCmdWrite | kCmdFast, 1, 1, 1, LPushCommand});
  t.Add({"rpush", -3, kCmdWrite | kCmdFast, 1, 1, 1, RPushCommand});
  t.Add({"lpop", -2, kCmdWrite | kCmdFast, 1, 1, 1, LPopCommand});
  t.Add({"rpop", -2, kCmdWrite | kCmdFast, 1, 1, 1, RPopCommand});
  t.Add({"lrange", 4, kCmdReadonly, 1, 1, 1, LRangeCommand});
  t.Add({"llen", 2, kCmdReadonly | kCmdFast, 1, 1, 1, LLenCommand});
  t.Add({"lindex", 3, kCmdReadonly, 1, 1, 1, LIndexCommand});
  t.Add({"lrem", 4, kCmdWrite, 1, 1, 1, LRemCommand});
  t.Add({"lpos", -3, kCmdReadonly, 1, 1, 1, LPosCommand});
  t.Add({"linsert", 5, kCmdWrite, 1, 1, 1, LInsertCommand});
  t.Add({"lset", 4, kCmdWrite, 1, 1, 1, LSetCommand});
  t.Add({"ltrim", 4, kCmdWrite, 1, 1, 1, LTrimCommand});
  t.Add({"blpop", -3, kCmdWrite | kCmdBlocking, 1, -2, 1, BLPopCommand});
  t.Add({"brpop", -3, kCmdWrite | kCmdBlocking, 1, -2, 1, BRPopCommand});
}

}  // namespace txlab
