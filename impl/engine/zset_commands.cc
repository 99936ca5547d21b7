// Sorted-set commands (t_zset.c): ZADD ZINCRBY ZSCORE ZMSCORE ZREM ZCARD ZCOUNT
// ZRANK ZREVRANK ZPOPMIN ZPOPMAX ZRANGE ZRANGEBYSCORE ZREVRANGE (ZRANGE with
// BYSCORE/BYLEX/REV/LIMIT/WITHSCORES). Scores are replied as Redis 7.0 does in RESP2: bulk strings
// formatted "%.17g" (so 1.1 reads "1.1000000000000001"), "inf"/"-inf"; to a
// RESP3 client as doubles, and WITHSCORES as [member, score] pairs.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "impl/engine/db.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/parse.h"

namespace txlab {

namespace {

Reply WrongType() { return ErrorReply(errors::kWrongType); }

// A score as addReplyDouble sends it: a RESP3 double, or "%.17g" as a bulk
// string in RESP2 (and to scripts).
Reply Score(const ExecContext& ctx, double score) {
  return ctx.resp == 3 ? Reply::Double(score) : Reply::Bulk(FormatDouble(score));
}

enum ZAddFlags { kZNx = 1, kZXx = 2, kZGt = 4, kZLt = 8, kZIncr = 16 };

// zaddGenericCommand.
Reply ZAddGeneric(ExecContext& ctx, Args argv, int flags) {
  bool ch = false;
  size_t scoreidx = 2;
  while (scoreidx < argv.size()) {
    std::string_view o = argv[scoreidx];
    if (EqualsIgnoreCase(o, "nx")) flags |= kZNx;
    else if (EqualsIgnoreCase(o, "xx")) flags |= kZXx;
    else if (EqualsIgnoreCase(o, "ch")) ch = true;
    else if (EqualsIgnoreCase(o, "incr")) flags |= kZIncr;
    else if (EqualsIgnoreCase(o, "gt")) flags |= kZGt;
    else if (EqualsIgnoreCase(o, "lt")) flags |= kZLt;
    else break;
    ++scoreidx;
  }
  bool incr = flags & kZIncr, nx = flags & kZNx, xx = flags & kZXx, gt = flags & kZGt, lt = flags & kZLt;
  size_t elements = argv.size() - scoreidx;
  if (elements % 2 != 0 || elements == 0) return ErrorReply(errors::kSyntax);
  elements /= 2;
  if (nx && xx) return ErrorReply("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt))
    return ErrorReply("ERR GT, LT, and/or NX options at the same time are not compatible");
  if (incr && elements > 1) return ErrorReply("ERR INCR option supports a single increment-element pair");

  // Parse every score first: the command applies fully or not at all.
  std::vector<double> scores(elements);
  for (size_t j = 0; j < elements; ++j) {
    if (!ParseDouble(argv[scoreidx + j * 2], &scores[j])) return ErrorReply(errors::kNotFloat);
  }
  std::string_view key = argv[1];
  bool wrong;
  ZSetValue* z = LookupAs<ZSetValue>(ctx, key, &wrong);
  if (wrong) return WrongType();
  int64_t added = 0, updated = 0, processed = 0;
  double score = 0;
  if (z == nullptr && !xx) z = LookupOrCreate<ZSetValue>(ctx, key, &wrong);
  Reply error;
  bool failed = false;
  for (size_t j = 0; z != nullptr && j < elements; ++j) {
    score = scores[j];
    std::string_view member = argv[scoreidx + 1 + j * 2];
    auto it = z->scores.find(member);
    if (it != z->scores.end()) {
      if (nx) continue;
      double cur = it->second;
      if (incr) {
        score += cur;
        if (std::isnan(score)) {
          error = ErrorReply("ERR resulting score is not a number (NaN)");
          failed = true;
          break;
        }
      }
      if ((lt && score >= cur) || (gt && score <= cur)) continue;
      ++processed;
      if (score != cur) {
        z->Set(member, score);
        ++updated;
      }
    } else if (!xx) {
      z->Set(member, score);
      ++added;
      ++processed;
    }
  }
  if (added || updated) SignalModifiedKey(ctx, key);
  DeleteIfEmpty(ctx, key);
  if (failed) return error;
  if (incr) return processed ? Score(ctx, score) : Reply::Nil();
  return Reply::Integer(ch ? added + updated : added);
}

Reply ZAddCommand(ExecContext& ctx, Args argv) { return ZAddGeneric(ctx, argv, 0); }

Reply ZIncrByCommand(ExecContext& ctx, Args argv) { return ZAddGeneric(ctx, argv, kZIncr); }

Reply ZScoreCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const ZSetValue* z = LookupAs<ZSetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (z == nullptr) return Reply::Nil();
  auto it = z->scores.find(argv[2]);
  return it == z->scores.end() ? Reply::Nil() : Score(ctx, it->second);
}

Reply ZRemCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  ZSetValue* z = LookupAs<ZSetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (z == nullptr) return Reply::Integer(0);
  int64_t removed = 0;
  for (size_t i = 2; i < argv.size(); ++i) removed += z->Remove(argv[i]) ? 1 : 0;
  if (removed > 0) {
    DeleteIfEmpty(ctx, argv[1]);
    SignalModifiedKey(ctx, argv[1]);
  }
  return Reply::Integer(removed);
}

Reply ZCardCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const ZSetValue* z = LookupAs<ZSetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  return Reply::Integer(z == nullptr ? 0 : static_cast<int64_t>(z->size()));
}

// ---- ZRANGE family -----------------------------------------------------------

// zslParseRangeItem: "(" for exclusive; strtod on the rest (so "" reads 0, as
// in Redis); NaN rejected.
bool ParseRangeItem(std::string_view s, double* v, bool* exclusive) {
  *exclusive = !s.empty() && s[0] == '(';
  if (*exclusive) s.remove_prefix(1);
  if (s.size() > 255 || std::memchr(s.data(), '\0', s.size()) != nullptr) return false;
  char buf[256];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  char* end;
  *v = std::strtod(buf, &end);
  return *end == '\0' && !std::isnan(*v);
}

enum class RangeType { kAuto, kRank, kScore, kLex };

// zslParseLexRangeItem: "-" and "+" are the extremes; "[x" inclusive, "(x"
// exclusive.
struct LexBound {
  enum Kind { kMin, kMax, kValue } kind;
  std::string_view value;
  bool exclusive;
};

bool ParseLexItem(std::string_view s, LexBound* b) {
  if (s.empty()) return false;
  if (s == "-") *b = {LexBound::kMin, {}, false};
  else if (s == "+") *b = {LexBound::kMax, {}, false};
  else if (s[0] == '[' || s[0] == '(') *b = {LexBound::kValue, s.substr(1), s[0] == '('};
  else return false;
  return true;
}

bool LexGteMin(std::string_view m, const LexBound& min) {
  if (min.kind == LexBound::kMin) return true;
  if (min.kind == LexBound::kMax) return false;
  return min.exclusive ? m > min.value : m >= min.value;
}

bool LexLteMax(std::string_view m, const LexBound& max) {
  if (max.kind == LexBound::kMax) return true;
  if (max.kind == LexBound::kMin) return false;
  return max.exclusive ? m < max.value : m <= max.value;
}

// zrangeGenericCommand. `rangetype` and the direction preset by ZRANGEBYSCORE
// (forward) and ZREVRANGE (rank, reverse).
Reply ZRangeGeneric(ExecContext& ctx, Args argv, RangeType rangetype, bool direction_set, bool reverse = false) {
  bool withscores = false;
  int64_t offset = 0, limit = -1;
  bool has_limit = false;
  for (size_t j = 4; j < argv.size(); ++j) {
    size_t left = argv.size() - j - 1;
    if (EqualsIgnoreCase(argv[j], "withscores")) {
      withscores = true;
    } else if (EqualsIgnoreCase(argv[j], "limit") && left >= 2) {
      if (!ParseInt64(argv[j + 1], &offset) || !ParseInt64(argv[j + 2], &limit))
        return ErrorReply(errors::kNotInteger);
      has_limit = true;
      j += 2;
    } else if (!direction_set && EqualsIgnoreCase(argv[j], "rev")) {
      reverse = direction_set = true;
    } else if (rangetype == RangeType::kAuto && EqualsIgnoreCase(argv[j], "bylex")) {
      rangetype = RangeType::kLex;
    } else if (rangetype == RangeType::kAuto && EqualsIgnoreCase(argv[j], "byscore")) {
      rangetype = RangeType::kScore;
    } else {
      return ErrorReply(errors::kSyntax);
    }
  }
  if (rangetype == RangeType::kAuto) rangetype = RangeType::kRank;
  if (has_limit && limit != -1 && rangetype == RangeType::kRank)
    return ErrorReply("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  if (withscores && rangetype == RangeType::kLex)
    return ErrorReply("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  std::string_view min_arg = argv[2], max_arg = argv[3];
  if (reverse && rangetype != RangeType::kRank) std::swap(min_arg, max_arg);
  int64_t start = 0, end = 0;
  double min = 0, max = 0;
  bool minex = false, maxex = false;
  LexBound lexmin{}, lexmax{};
  if (rangetype == RangeType::kRank) {
    if (!ParseInt64(min_arg, &start) || !ParseInt64(max_arg, &end)) return ErrorReply(errors::kNotInteger);
  } else if (rangetype == RangeType::kLex) {
    if (!ParseLexItem(min_arg, &lexmin) || !ParseLexItem(max_arg, &lexmax))
      return ErrorReply("ERR min or max not valid string range item");
  } else if (!ParseRangeItem(min_arg, &min, &minex) || !ParseRangeItem(max_arg, &max, &maxex)) {
    return ErrorReply("ERR min or max is not a float");
  }

  bool wrong;
  const ZSetValue* z = LookupAs<ZSetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (z == nullptr) return Reply::Array();

  std::vector<Reply> out;
  auto emit = [&](const std::pair<double, std::string>& e) {
    if (withscores && ctx.resp == 3) {
      out.push_back(Reply::Array({Reply::Bulk(e.second), Score(ctx, e.first)}));  // RESP3: [member, score] pairs
      return;
    }
    out.push_back(Reply::Bulk(e.second));
    if (withscores) out.push_back(Score(ctx, e.first));
  };
  int64_t len = static_cast<int64_t>(z->size());
  if (rangetype == RangeType::kRank) {
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (start > end || start >= len) return Reply::Array();
    if (end >= len) end = len - 1;
    int64_t n = end - start + 1;
    if (!reverse) {
      auto it = std::next(z->order.begin(), start);
      for (; n-- > 0; ++it) emit(*it);
    } else {
      auto it = std::next(z->order.rbegin(), start);
      for (; n-- > 0; ++it) emit(*it);
    }
    return Reply::Array(std::move(out));
  }
  // By score or by member (BYLEX assumes equal scores, as in Redis).
  if (offset < 0 || (offset > 0 && offset >= len)) return Reply::Array();
  const bool lex = rangetype == RangeType::kLex;
  auto above_min = [&](const std::pair<double, std::string>& e) {
    return lex ? LexGteMin(e.second, lexmin) : (minex ? e.first > min : e.first >= min);
  };
  auto below_max = [&](const std::pair<double, std::string>& e) {
    return lex ? LexLteMax(e.second, lexmax) : (maxex ? e.first < max : e.first <= max);
  };
  if (!reverse) {
    for (const auto& e : z->order) {
      if (!above_min(e)) continue;
      if (!below_max(e)) break;
      if (offset > 0) {
        --offset;
        continue;
      }
      if (limit == 0) break;
      emit(e);
      if (limit > 0) --limit;
    }
  } else {
    for (auto it = z->order.rbegin(); it != z->order.rend(); ++it) {
      if (!below_max(*it)) continue;
      if (!above_min(*it)) break;
      if (offset > 0) {
        --offset;
        continue;
      }
      if (limit == 0) break;
      emit(*it);
      if (limit > 0) --limit;
    }
  }
  return Reply::Array(std::move(out));
}

Reply ZRangeCommand(ExecContext& ctx, Args argv) { return ZRangeGeneric(ctx, argv, RangeType::kAuto, false); }

Reply ZRangeByScoreCommand(ExecContext& ctx, Args argv) {
  return ZRangeGeneric(ctx, argv, RangeType::kScore, true);
}


// ---- more reads and pops (ZMSCORE ZCOUNT ZRANK ZREVRANK ZREVRANGE ZPOPMIN
// ZPOPMAX) ---------------------------------------------------------------------

// ZMSCORE: one score (RESP3 double) or nil per member; a missing key is all nils.
Reply ZMScoreCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const ZSetValue* z = LookupAs<ZSetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  std::vector<Reply> out;
  for (size_t i = 2; i < argv.size(); ++i) {
    if (z != nullptr) {
      auto it = z->scores.find(argv[i]);
      if (it != z->scores.end()) {
        out.push_back(Score(ctx, it->second));
        continue;
      }
    }
    out.push_back(Reply::Nil());
  }
  return Reply::Array(std::move(out));
}

// ZCOUNT key min max: the range is parsed before the key is looked up.
Reply ZCountCommand(ExecContext& ctx, Args argv) {
  double min, max;
  bool minex, maxex;
  if (!ParseRangeItem(argv[2], &min, &minex) || !ParseRangeItem(argv[3], &max, &maxex)) {
    return ErrorReply("ERR min or max is not a float");
  }
  bool wrong;
  const ZSetValue* z = LookupAs<ZSetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (z == nullptr) return Reply::Integer(0);
  int64_t n = 0;
  for (const auto& [score, member] : z->order) {
    if (minex ? score <= min : score < min) continue;
    if (maxex ? score >= max : score > max) break;
    ++n;
  }
  return Reply::Integer(n);
}

// ZRANK / ZREVRANK key member (7.0: no WITHSCORE): nil for a missing key or member.
Reply ZRankGeneric(ExecContext& ctx, Args argv, bool reverse) {
  bool wrong;
  const ZSetValue* z = LookupAs<ZSetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (z == nullptr) return Reply::Nil();
  auto it = z->scores.find(argv[2]);
  if (it == z->scores.end()) return Reply::Nil();
  auto pos = z->order.find({it->second, std::string(argv[2])});
  auto rank = static_cast<int64_t>(std::distance(z->order.begin(), pos));
  return Reply::Integer(reverse ? static_cast<int64_t>(z->size()) - 1 - rank : rank);
}

Reply ZRankCommand(ExecContext& ctx, Args argv) { return ZRankGeneric(ctx, argv, false); }
Reply ZRevRankCommand(ExecContext& ctx, Args argv) { return ZRankGeneric(ctx, argv, true); }

Reply ZRevRangeCommand(ExecContext& ctx, Args argv) {
  return ZRangeGeneric(ctx, argv, RangeType::kRank, true, /*reverse=*/true);
}

// ZPOPMIN / ZPOPMAX key [count] (zpopMinMaxCommand, genericZpopCommand):
// count is parsed first; a missing key answers an empty array; count 0 an
// empty array without popping (no touch, T21). RESP2 (and RESP3 without
// count): flat member, score...; RESP3 with count: [member, score] pairs.
Reply ZPopGeneric(ExecContext& ctx, Args argv, bool max) {
  if (argv.size() > 3) return ErrorReply(errors::kSyntax);
  int64_t count = -1;
  if (argv.size() == 3 && (!ParseInt64(argv[2], &count) || count < 0)) {
    return ErrorReply("ERR value is out of range, must be positive");
  }
  const bool nested = ctx.resp == 3 && count != -1;
  bool wrong;
  ZSetValue* z = LookupAs<ZSetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (z == nullptr || count == 0) return Reply::Array();
  if (count == -1) count = 1;
  std::vector<Reply> out;
  for (int64_t i = 0; i < count && z->size() > 0; ++i) {
    auto it = max ? std::prev(z->order.end()) : z->order.begin();
    std::pair<double, std::string> e = *it;
    z->Remove(e.second);
    if (nested) {
      out.push_back(Reply::Array({Reply::Bulk(std::move(e.second)), Score(ctx, e.first)}));
    } else {
      out.push_back(Reply::Bulk(std::move(e.second)));
      out.push_back(Score(ctx, e.first));
    }
  }
  DeleteIfEmpty(ctx, argv[1]);
  SignalModifiedKey(ctx, argv[1]);
  return Reply::Array(std::move(out));
}

Reply ZPopMinCommand(ExecContext& ctx, Args argv) { return ZPopGeneric(ctx, argv, false); }
Reply ZPopMaxCommand(ExecContext& ctx, Args argv) { return ZPopGeneric(ctx, argv, true); }

}  // namespace

void RegisterZSetCommands(CommandTable& t) {
  t.Add({"zadd", -4, kCmdWrite | kCmdFast, 1, 1, 1, ZAddCommand});
  t.Add({"zincrby", 4, kCmdWrite | kCmdFast, 1, 1, 1, ZIncrByCommand});
  t.Add({"zscore", 3, kCmdReadonly | kCmdFast, 1, 1, 1, ZScoreCommand});
  t.Add({"zrem", -3, kCmdWrite | kCmdFast, 1, 1, 1, ZRemCommand});
  t.Add({"zcard", 2, kCmdReadonly | kCmdFast, 1, 1, 1, ZCardCommand});
  t.Add({"zrange", -4, kCmdReadonly, 1, 1, 1, ZRangeCommand});
  t.Add({"zrangebyscore", -4, kCmdReadonly, 1, 1, 1, ZRangeByScoreCommand});
  t.Add({"zrevrange", -4, kCmdReadonly, 1, 1, 1, ZRevRangeCommand});
  t.Add({"zmscore", -3, kCmdReadonly | kCmdFast, 1, 1, 1, ZMScoreCommand});
  t.Add({"zcount", 4, kCmdReadonly | kCmdFast, 1, 1, 1, ZCountCommand});
  t.Add({"zrank", 3, kCmdReadonly | kCmdFast, 1, 1, 1, ZRankCommand});
  t.Add({"zrevrank", 3, kCmdReadonly | kCmdFast, 1, 1, 1, ZRevRankCommand});
  t.Add({"zpopmin", -2, kCmdWrite | kCmdFast, 1, 1, 1, ZPopMinCommand});
  t.Add({"zpopmax", -2, kCmdWrite | kCmdFast, 1, 1, 1, ZPopMaxCommand});
}

}  // namespace txlab
