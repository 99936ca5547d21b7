// Hashes, lists, sets and sorted sets (Redis 7.0 t_hash.c, t_list.c, t_set.c,
// t_zset.c), over std::map / std::deque / std::set.
//
// Shared rules: a key of the wrong type answers WRONGTYPE; a missing key reads
// as empty; a collection emptied by a write is deleted; a write signals (and
// so touches watchers, T20) only when it changed something (T21: SADD of an
// existing member, SREM/HDEL/ZREM/LREM of absent members don't), except HSET,
// which always signals.
#include <algorithm>
#include <climits>
#include <cmath>

#include "model/model_parse.h"
#include "model/model_state.h"

namespace txlab::model_internal {

namespace {

// Looks up `key`; fails with WRONGTYPE if it holds another kind.
bool LookupKind(Ctx& c, const std::string& key, Kind kind, Entry** out, Reply* err) {
  *out = Lookup(c, key);
  if (*out && (*out)->value.kind != kind) {
    *err = WrongType();
    return false;
  }
  return true;
}

Entry& LookupOrCreate(Ctx& c, const std::string& key, Kind kind, Entry* found) {
  if (found) return *found;
  Value v;
  v.kind = kind;
  return Create(c, key, std::move(v));
}

}  // namespace

// ============================================================================
// Hashes
// ============================================================================

Reply CmdHset(Ctx& c, const Argv& a) {
  if (a.size() % 2 == 1) return ArityError("hset");  // run-time, not queue-time
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kHash, &e, &err)) return err;
  Entry& h = LookupOrCreate(c, a[1], Kind::kHash, e);
  int64_t created = 0;
  for (size_t i = 2; i < a.size(); i += 2) {
    created += h.value.hash.count(a[i]) == 0;
    h.value.hash[a[i]] = a[i + 1];
  }
  Touch(c.m, c.s.db, a[1]);
  return Reply::Integer(created);
}

Reply CmdHget(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kHash, &e, &err)) return err;
  if (!e) return Reply::Nil();
  auto it = e->value.hash.find(a[2]);
  return it == e->value.hash.end() ? Reply::Nil() : Reply::Bulk(it->second);
}

Reply CmdHmget(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kHash, &e, &err)) return err;  // unlike MGET
  std::vector<Reply> out;
  for (size_t i = 2; i < a.size(); ++i) {
    if (!e) {
      out.push_back(Reply::Nil());
      continue;
    }
    auto it = e->value.hash.find(a[i]);
    out.push_back(it == e->value.hash.end() ? Reply::Nil() : Reply::Bulk(it->second));
  }
  return Reply::Array(std::move(out));
}

Reply CmdHdel(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kHash, &e, &err)) return err;
  if (!e) return Reply::Integer(0);
  int64_t deleted = 0;
  for (size_t i = 2; i < a.size(); ++i) deleted += e->value.hash.erase(a[i]);
  if (deleted) {
    DeleteIfEmpty(c, a[1]);
    Touch(c.m, c.s.db, a[1]);
  }
  return Reply::Integer(deleted);
}

Reply CmdHgetall(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kHash, &e, &err)) return err;
  std::vector<Reply> out;  // RESP2: a flat field, value, field, value array
  if (e) {
    for (const auto& [f, v] : e->value.hash) {
      out.push_back(Reply::Bulk(f));
      out.push_back(Reply::Bulk(v));
    }
  }
  return Reply::Array(std::move(out));
}

Reply CmdHincrby(Ctx& c, const Argv& a) {
  int64_t incr;
  if (!ParseInt64(a[3], &incr)) return NotInteger();
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kHash, &e, &err)) return err;
  int64_t value = 0;
  if (e) {
    auto it = e->value.hash.find(a[2]);
    if (it != e->value.hash.end() && !ParseInt64(it->second, &value))
      return Reply::Error("ERR hash value is not an integer");
  }
  if ((incr < 0 && value < 0 && incr < (LLONG_MIN - value)) ||
      (incr > 0 && value > 0 && incr > (LLONG_MAX - value)))
    return Reply::Error("ERR increment or decrement would overflow");
  value += incr;
  Entry& h = LookupOrCreate(c, a[1], Kind::kHash, e);
  h.value.hash[a[2]] = std::to_string(value);
  Touch(c.m, c.s.db, a[1]);
  return Reply::Integer(value);
}

Reply CmdHexists(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kHash, &e, &err)) return err;
  return Reply::Integer(e && e->value.hash.count(a[2]) ? 1 : 0);
}

Reply CmdHlen(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kHash, &e, &err)) return err;
  return Reply::Integer(e ? static_cast<int64_t>(e->value.hash.size()) : 0);
}

// ============================================================================
// Lists
// ============================================================================

namespace {

Reply Push(Ctx& c, const Argv& a, bool left) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kList, &e, &err)) return err;
  Entry& l = LookupOrCreate(c, a[1], Kind::kList, e);
  for (size_t i = 2; i < a.size(); ++i) {
    if (left) l.value.list.push_front(a[i]);
    else l.value.list.push_back(a[i]);
  }
  Touch(c.m, c.s.db, a[1]);
  return Reply::Integer(static_cast<int64_t>(l.value.list.size()));
}

Reply Pop(Ctx& c, const Argv& a, bool left) {
  const char* name = left ? "lpop" : "rpop";
  if (a.size() > 3) return ArityError(name);
  bool has_count = a.size() == 3;
  int64_t count = 0;
  if (has_count && (!ParseInt64(a[2], &count) || count < 0))
    return Reply::Error("ERR value is out of range, must be positive");
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kList, &e, &err)) return err;
  if (!e) return has_count ? Reply::NilArray() : Reply::Nil();
  if (has_count && count == 0) return Reply::Array();  // nothing popped, no touch
  std::deque<std::string>& list = e->value.list;
  Reply r;
  if (!has_count) {
    r = Reply::Bulk(left ? list.front() : list.back());
    if (left) list.pop_front();
    else list.pop_back();
  } else {
    std::vector<Reply> out;
    for (int64_t i = 0; i < count && !list.empty(); ++i) {
      out.push_back(Reply::Bulk(left ? list.front() : list.back()));
      if (left) list.pop_front();
      else list.pop_back();
    }
    r = Reply::Array(std::move(out));
  }
  DeleteIfEmpty(c, a[1]);
  Touch(c.m, c.s.db, a[1]);
  return r;
}

}  // namespace

Reply CmdLpush(Ctx& c, const Argv& a) { return Push(c, a, true); }
Reply CmdRpush(Ctx& c, const Argv& a) { return Push(c, a, false); }
Reply CmdLpop(Ctx& c, const Argv& a) { return Pop(c, a, true); }
Reply CmdRpop(Ctx& c, const Argv& a) { return Pop(c, a, false); }

Reply CmdLrange(Ctx& c, const Argv& a) {
  int64_t start, end;
  if (!ParseInt64(a[2], &start) || !ParseInt64(a[3], &end)) return NotInteger();
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kList, &e, &err)) return err;
  if (!e) return Reply::Array();
  int64_t len = static_cast<int64_t>(e->value.list.size());
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return Reply::Array();
  if (end >= len) end = len - 1;
  std::vector<Reply> out;
  for (int64_t i = start; i <= end; ++i) out.push_back(Reply::Bulk(e->value.list[i]));
  return Reply::Array(std::move(out));
}

Reply CmdLlen(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kList, &e, &err)) return err;
  return Reply::Integer(e ? static_cast<int64_t>(e->value.list.size()) : 0);
}

Reply CmdLindex(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kList, &e, &err)) return err;
  if (!e) return Reply::Nil();  // the index is parsed only for an existing list
  int64_t index;
  if (!ParseInt64(a[2], &index)) return NotInteger();
  int64_t len = static_cast<int64_t>(e->value.list.size());
  if (index < 0) index += len;
  if (index < 0 || index >= len) return Reply::Nil();
  return Reply::Bulk(e->value.list[index]);
}

Reply CmdLrem(Ctx& c, const Argv& a) {
  int64_t count;
  if (!ParseInt64(a[2], &count)) return NotInteger();
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kList, &e, &err)) return err;
  if (!e) return Reply::Integer(0);
  std::deque<std::string>& list = e->value.list;
  int64_t removed = 0;
  if (count >= 0) {  // from the head; 0 means all
    for (auto it = list.begin(); it != list.end();) {
      if (*it == a[3] && (count == 0 || removed < count)) {
        it = list.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
  } else {  // from the tail
    for (int64_t i = static_cast<int64_t>(list.size()) - 1; i >= 0 && removed < -count; --i) {
      if (list[i] == a[3]) {
        list.erase(list.begin() + i);
        ++removed;
      }
    }
  }
  if (removed) {
    DeleteIfEmpty(c, a[1]);
    Touch(c.m, c.s.db, a[1]);
  }
  return Reply::Integer(removed);
}

// LPOS key element [RANK r] [COUNT n] [MAXLEN m]: options first (the last of
// each wins), then the key. RANK INT64_MIN: Redis negates it in a C long and
// it stays negative, so every match counts and COUNT never stops the scan
// (matches - rank + 1 overflows); done here in unsigned arithmetic.
Reply CmdLpos(Ctx& c, const Argv& a) {
  int64_t rank = 1, count = -1, maxlen = 0;
  for (size_t j = 3; j < a.size(); ++j) {
    std::string opt = Lower(a[j]);
    bool more = j + 1 < a.size();
    if (opt == "rank" && more) {
      if (!ParseInt64(a[++j], &rank)) return NotInteger();
      if (rank == 0) {
        return Reply::Error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to "
            "start from the end of the list");
      }
    } else if (opt == "count" && more) {
      if (!ParseInt64(a[++j], &count) || count < 0) return Reply::Error("ERR COUNT can't be negative");
    } else if (opt == "maxlen" && more) {
      if (!ParseInt64(a[++j], &maxlen) || maxlen < 0) return Reply::Error("ERR MAXLEN can't be negative");
    } else {
      return SyntaxError();
    }
  }
  bool from_tail = rank < 0;
  if (from_tail) rank = static_cast<int64_t>(0 - static_cast<uint64_t>(rank));
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kList, &e, &err)) return err;
  if (!e) return count != -1 ? Reply::Array() : Reply::Nil();
  const auto& list = e->value.list;
  int64_t len = static_cast<int64_t>(list.size());
  std::vector<Reply> out;
  int64_t matches = 0;
  for (int64_t i = 0; i < len && (maxlen == 0 || i < maxlen); ++i) {
    int64_t pos = from_tail ? len - 1 - i : i;
    if (list[pos] != a[2]) continue;
    ++matches;
    if (matches < rank) continue;
    if (count == -1) return Reply::Integer(pos);
    out.push_back(Reply::Integer(pos));
    auto seen = static_cast<int64_t>(static_cast<uint64_t>(matches) - static_cast<uint64_t>(rank) + 1);
    if (count != 0 && seen >= count) break;
  }
  return count == -1 ? Reply::Nil() : Reply::Array(std::move(out));
}

// LINSERT key BEFORE|AFTER pivot element: -1 without the pivot (no touch).
Reply CmdLinsert(Ctx& c, const Argv& a) {
  std::string where = Lower(a[2]);
  if (where != "before" && where != "after") return SyntaxError();
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kList, &e, &err)) return err;
  if (!e) return Reply::Integer(0);
  auto& list = e->value.list;
  auto it = std::find(list.begin(), list.end(), a[3]);
  if (it == list.end()) return Reply::Integer(-1);
  list.insert(where == "after" ? it + 1 : it, a[4]);
  Touch(c.m, c.s.db, a[1]);
  return Reply::Integer(static_cast<int64_t>(list.size()));
}

// LSET key index element: key first (ERR no such key), then the index;
// touches on success even if the value is unchanged.
Reply CmdLset(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kList, &e, &err)) return err;
  if (!e) return Reply::Error("ERR no such key");
  int64_t index;
  if (!ParseInt64(a[2], &index)) return NotInteger();
  auto& list = e->value.list;
  int64_t len = static_cast<int64_t>(list.size());
  if (index < 0) index += len;
  if (index < 0 || index >= len) return Reply::Error("ERR index out of range");
  list[index] = a[3];
  Touch(c.m, c.s.db, a[1]);
  return Reply::Ok();
}

// LTRIM key start stop: indexes first; an existing list is always touched
// (signalModifiedKey is unconditional), and deleted when emptied.
Reply CmdLtrim(Ctx& c, const Argv& a) {
  int64_t start, end;
  if (!ParseInt64(a[2], &start) || !ParseInt64(a[3], &end)) return NotInteger();
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kList, &e, &err)) return err;
  if (!e) return Reply::Ok();
  auto& list = e->value.list;
  int64_t len = static_cast<int64_t>(list.size());
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  std::deque<std::string> kept;
  if (!(start > end || start >= len)) {
    if (end >= len) end = len - 1;
    kept.assign(list.begin() + start, list.begin() + end + 1);
  }
  list = std::move(kept);
  DeleteIfEmpty(c, a[1]);
  Touch(c.m, c.s.db, a[1]);
  return Reply::Ok();
}

// ============================================================================
// Sets
// ============================================================================

Reply CmdSadd(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kSet, &e, &err)) return err;
  Entry& s = LookupOrCreate(c, a[1], Kind::kSet, e);
  int64_t added = 0;
  for (size_t i = 2; i < a.size(); ++i) added += s.value.set.insert(a[i]).second;
  if (added) Touch(c.m, c.s.db, a[1]);  // T21: adding only existing members is no touch
  return Reply::Integer(added);
}

Reply CmdSrem(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kSet, &e, &err)) return err;
  if (!e) return Reply::Integer(0);
  int64_t removed = 0;
  for (size_t i = 2; i < a.size(); ++i) removed += e->value.set.erase(a[i]);
  if (removed) {
    DeleteIfEmpty(c, a[1]);
    Touch(c.m, c.s.db, a[1]);
  }
  return Reply::Integer(removed);
}

Reply CmdSmembers(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kSet, &e, &err)) return err;
  std::vector<Reply> out;
  if (e) {
    for (const auto& m : e->value.set) out.push_back(Reply::Bulk(m));
  }
  return Reply::Array(std::move(out));
}

Reply CmdSismember(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kSet, &e, &err)) return err;
  return Reply::Integer(e && e->value.set.count(a[2]) ? 1 : 0);
}

Reply CmdScard(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kSet, &e, &err)) return err;
  return Reply::Integer(e ? static_cast<int64_t>(e->value.set.size()) : 0);
}

// ---- multi-key set commands (t_set.c sinterGenericCommand,
// sunionDiffGenericCommand, sinterCardCommand, smoveCommand) ----------------

namespace {

// Every source key is looked up in order (each lazily expired); the first of
// another type answers WRONGTYPE and later keys are not looked up. A missing
// key is a nullptr (an empty set).
bool LookupSets(Ctx& c, const Argv& a, size_t first, size_t count, std::vector<const std::set<std::string>*>* out,
                Reply* err) {
  for (size_t i = first; i < first + count; ++i) {
    Entry* e;
    if (!LookupKind(c, a[i], Kind::kSet, &e, err)) return false;
    out->push_back(e ? &e->value.set : nullptr);
  }
  return true;
}

std::set<std::string> InterOf(const std::vector<const std::set<std::string>*>& sets) {
  std::set<std::string> out;
  for (const auto* s : sets) {
    if (!s) return out;
  }
  for (const auto& m : *sets[0]) {
    bool all = true;
    for (const auto* s : sets) all = all && s->count(m);
    if (all) out.insert(m);
  }
  return out;
}

std::set<std::string> UnionOf(const std::vector<const std::set<std::string>*>& sets) {
  std::set<std::string> out;
  for (const auto* s : sets) {
    if (s) out.insert(s->begin(), s->end());
  }
  return out;
}

std::set<std::string> DiffOf(const std::vector<const std::set<std::string>*>& sets) {
  std::set<std::string> out;
  if (!sets[0]) return out;
  for (const auto& m : *sets[0]) {
    bool elsewhere = false;
    for (size_t i = 1; i < sets.size(); ++i) elsewhere = elsewhere || (sets[i] && sets[i]->count(m));
    if (!elsewhere) out.insert(m);
  }
  return out;
}

using SetOp = std::set<std::string> (*)(const std::vector<const std::set<std::string>*>&);

// SINTER/SUNION/SDIFF: an (unordered) array of members; RESP3 clients get a
// set, which reply_order.h canonicalises to this.
Reply SetAlgebra(Ctx& c, const Argv& a, SetOp op) {
  std::vector<const std::set<std::string>*> sets;
  Reply err;
  if (!LookupSets(c, a, 1, a.size() - 1, &sets, &err)) return err;
  std::vector<Reply> out;
  for (const auto& m : op(sets)) out.push_back(Reply::Bulk(m));
  return Reply::Array(std::move(out));
}

// *STORE: a non-empty result replaces the destination whatever it held
// (type, TTL) and always touches it (setKey); an empty result deletes it
// (dbDelete: a stale destination just disappears, which touches nobody,
// T22) and touches only if a live key was deleted.
Reply SetAlgebraStore(Ctx& c, const Argv& a, SetOp op) {
  std::vector<const std::set<std::string>*> sets;
  Reply err;
  if (!LookupSets(c, a, 2, a.size() - 2, &sets, &err)) return err;
  std::set<std::string> result = op(sets);
  const std::string& dst = a[1];
  Entry* old = Lookup(c, dst);
  if (result.empty()) {
    if (old) {
      Delete(c, dst);
      Touch(c.m, c.s.db, dst);
    }
    return Reply::Integer(0);
  }
  auto n = static_cast<int64_t>(result.size());
  if (old) Delete(c, dst);
  Value v;
  v.kind = Kind::kSet;
  v.set = std::move(result);
  Create(c, dst, std::move(v));
  Touch(c.m, c.s.db, dst);
  return Reply::Integer(n);
}

}  // namespace

Reply CmdSinter(Ctx& c, const Argv& a) { return SetAlgebra(c, a, InterOf); }
Reply CmdSunion(Ctx& c, const Argv& a) { return SetAlgebra(c, a, UnionOf); }
Reply CmdSdiff(Ctx& c, const Argv& a) { return SetAlgebra(c, a, DiffOf); }
Reply CmdSinterstore(Ctx& c, const Argv& a) { return SetAlgebraStore(c, a, InterOf); }
Reply CmdSunionstore(Ctx& c, const Argv& a) { return SetAlgebraStore(c, a, UnionOf); }
Reply CmdSdiffstore(Ctx& c, const Argv& a) { return SetAlgebraStore(c, a, DiffOf); }

// SINTERCARD numkeys key [key ...] [LIMIT limit]; LIMIT 0 is no limit.
Reply CmdSintercard(Ctx& c, const Argv& a) {
  int64_t numkeys;
  if (!ParseInt64(a[1], &numkeys) || numkeys < 1) return Reply::Error("ERR numkeys should be greater than 0");
  if (numkeys > static_cast<int64_t>(a.size()) - 2) {
    return Reply::Error("ERR Number of keys can't be greater than number of args");
  }
  int64_t limit = 0;
  for (size_t j = 2 + static_cast<size_t>(numkeys); j < a.size(); ++j) {
    if (Lower(a[j]) == "limit" && j + 1 < a.size()) {
      ++j;
      if (!ParseInt64(a[j], &limit) || limit < 0) return Reply::Error("ERR LIMIT can't be negative");
    } else {
      return SyntaxError();
    }
  }
  std::vector<const std::set<std::string>*> sets;
  Reply err;
  if (!LookupSets(c, a, 2, static_cast<size_t>(numkeys), &sets, &err)) return err;
  auto n = static_cast<int64_t>(InterOf(sets).size());
  return Reply::Integer(limit > 0 && n > limit ? limit : n);
}

Reply CmdSmismember(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kSet, &e, &err)) return err;
  std::vector<Reply> out;
  for (size_t i = 2; i < a.size(); ++i) out.push_back(Reply::Integer(e && e->value.set.count(a[i]) ? 1 : 0));
  return Reply::Array(std::move(out));
}

// SMOVE src dst member: both keys looked up first; a missing source is 0
// before any type check; src == dst only tests membership. The source is
// touched when the member leaves it, the destination only when the member is
// new there (T21).
Reply CmdSmove(Ctx& c, const Argv& a) {
  const std::string &src_key = a[1], &dst_key = a[2], &member = a[3];
  Entry* src = Lookup(c, src_key);
  Entry* dst = Lookup(c, dst_key);
  if (!src) return Reply::Integer(0);
  if (src->value.kind != Kind::kSet || (dst && dst->value.kind != Kind::kSet)) return WrongType();
  if (src_key == dst_key) return Reply::Integer(src->value.set.count(member) ? 1 : 0);
  if (!src->value.set.erase(member)) return Reply::Integer(0);
  DeleteIfEmpty(c, src_key);
  Entry& d = LookupOrCreate(c, dst_key, Kind::kSet, dst);
  Touch(c.m, c.s.db, src_key);
  if (d.value.set.insert(member).second) Touch(c.m, c.s.db, dst_key);
  return Reply::Integer(1);
}

// ============================================================================
// Sorted sets
// ============================================================================

namespace {

// zaddGenericCommand; ZINCRBY is ZADD with INCR forced on.
Reply ZaddGeneric(Ctx& c, const Argv& a, bool incr) {
  bool nx = false, xx = false, gt = false, lt = false, ch = false;
  size_t idx = 2;
  for (; idx < a.size(); ++idx) {
    std::string opt = Lower(a[idx]);
    if (opt == "nx") nx = true;
    else if (opt == "xx") xx = true;
    else if (opt == "ch") ch = true;
    else if (opt == "incr") incr = true;
    else if (opt == "gt") gt = true;
    else if (opt == "lt") lt = true;
    else break;
  }
  size_t elements = a.size() - idx;
  if (elements % 2 || elements == 0) return SyntaxError();
  elements /= 2;
  if (nx && xx) return Reply::Error("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt))
    return Reply::Error("ERR GT, LT, and/or NX options at the same time are not compatible");
  if (incr && elements > 1) return Reply::Error("ERR INCR option supports a single increment-element pair");
  // Every score is parsed before anything changes.
  std::vector<double> scores(elements);
  for (size_t j = 0; j < elements; ++j) {
    if (!ParseDouble(a[idx + 2 * j], &scores[j])) return NotFloat();
  }
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kZset, &e, &err)) return err;
  int64_t added = 0, updated = 0, processed = 0;
  double score = 0;
  Reply error;
  if (e || !xx) {  // no key + XX: nothing to do
    Entry& z = LookupOrCreate(c, a[1], Kind::kZset, e);
    for (size_t j = 0; j < elements; ++j) {
      double s = scores[j];
      const std::string& member = a[idx + 2 * j + 1];
      auto cur = z.value.zset.score.find(member);
      if (cur != z.value.zset.score.end()) {
        if (nx) continue;  // NOP
        if (incr) {
          s += cur->second;
          if (std::isnan(s)) {
            error = Reply::Error("ERR resulting score is not a number (NaN)");
            break;
          }
        }
        if ((lt && s >= cur->second) || (gt && s <= cur->second)) continue;  // NOP
        if (s != cur->second) {
          z.value.zset.Put(member, s);
          ++updated;
        }
        ++processed;
        score = s;
      } else if (!xx) {
        z.value.zset.Put(member, s);
        ++added;
        ++processed;
        score = s;
      }
    }
  }
  if (added || updated) Touch(c.m, c.s.db, a[1]);
  if (error.is_error()) return error;
  if (incr) return processed ? Reply::Bulk(FormatDouble(score)) : Reply::Nil();
  return Reply::Integer(ch ? added + updated : added);
}

// A lexicographic range bound: "-", "+", "(x" or "[x".
struct LexBound {
  enum { kMin, kMax, kValue } special;
  std::string value;
  bool exclusive;
};

bool ParseLexBound(const std::string& s, LexBound* b) {
  if (s == "+") *b = {LexBound::kMax, "", true};
  else if (s == "-") *b = {LexBound::kMin, "", true};
  else if (!s.empty() && s[0] == '(') *b = {LexBound::kValue, s.substr(1), true};
  else if (!s.empty() && s[0] == '[') *b = {LexBound::kValue, s.substr(1), false};
  else return false;
  return true;
}

// sdscmplex between a member (never special) and a bound.
int CompareLex(const std::string& member, const LexBound& b) {
  if (b.special == LexBound::kMin) return 1;
  if (b.special == LexBound::kMax) return -1;
  return member.compare(b.value) < 0 ? -1 : (member == b.value ? 0 : 1);
}

int CompareBounds(const LexBound& x, const LexBound& y) {
  if (x.special == y.special && x.special != LexBound::kValue) return 0;
  if (x.special == LexBound::kMin || y.special == LexBound::kMax) return -1;
  if (x.special == LexBound::kMax || y.special == LexBound::kMin) return 1;
  return x.value.compare(y.value) < 0 ? -1 : (x.value == y.value ? 0 : 1);
}

bool LexGteMin(const std::string& m, const LexBound& min) {
  int cmp = CompareLex(m, min);
  return min.exclusive ? cmp > 0 : cmp >= 0;
}
bool LexLteMax(const std::string& m, const LexBound& max) {
  int cmp = CompareLex(m, max);
  return max.exclusive ? cmp < 0 : cmp <= 0;
}

// zrangeGenericCommand for ZRANGE (auto) and ZRANGEBYSCORE (score, forward).
// mode: ZRANGE (everything from the options), ZRANGEBYSCORE (by score,
// forward), ZREVRANGE (by rank, reverse).
enum class RangeCmd { kZrange, kZrangebyscore, kZrevrange };

Reply ZrangeGeneric(Ctx& c, const Argv& a, RangeCmd cmd) {
  enum class Type { kAuto, kRank, kScore, kLex };
  Type type = cmd == RangeCmd::kZrangebyscore ? Type::kScore : cmd == RangeCmd::kZrevrange ? Type::kRank : Type::kAuto;
  bool direction_fixed = cmd != RangeCmd::kZrange;
  bool reverse = cmd == RangeCmd::kZrevrange, withscores = false;
  int64_t offset = 0, limit = -1;
  for (size_t j = 4; j < a.size(); ++j) {
    std::string opt = Lower(a[j]);
    size_t left = a.size() - j - 1;
    if (opt == "withscores") {
      withscores = true;
    } else if (opt == "limit" && left >= 2) {
      if (!ParseInt64(a[j + 1], &offset) || !ParseInt64(a[j + 2], &limit)) return NotInteger();
      j += 2;
    } else if (!direction_fixed && !reverse && opt == "rev") {
      reverse = true;
    } else if (type == Type::kAuto && opt == "bylex") {
      type = Type::kLex;
    } else if (type == Type::kAuto && opt == "byscore") {
      type = Type::kScore;
    } else {
      return SyntaxError();
    }
  }
  if (type == Type::kAuto) type = Type::kRank;
  if (limit != -1 && type == Type::kRank)
    return Reply::Error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  if (withscores && type == Type::kLex)
    return Reply::Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  // REV with BYSCORE/BYLEX takes the range as max, min.
  const std::string& min_arg = (reverse && type != Type::kRank) ? a[3] : a[2];
  const std::string& max_arg = (reverse && type != Type::kRank) ? a[2] : a[3];
  int64_t start = 0, end = 0;
  double smin = 0, smax = 0;
  bool sminex = false, smaxex = false;
  LexBound lmin{}, lmax{};
  if (type == Type::kRank) {
    if (!ParseInt64(min_arg, &start) || !ParseInt64(max_arg, &end)) return NotInteger();
  } else if (type == Type::kScore) {
    if (!ParseScoreBound(min_arg, &smin, &sminex) || !ParseScoreBound(max_arg, &smax, &smaxex))
      return Reply::Error("ERR min or max is not a float");
  } else {
    if (!ParseLexBound(min_arg, &lmin) || !ParseLexBound(max_arg, &lmax))
      return Reply::Error("ERR min or max not valid string range item");
  }
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kZset, &e, &err)) return err;
  if (!e) return Reply::Array();

  // The members in (score, member) order, reversed for REV.
  std::vector<std::pair<double, std::string>> items(e->value.zset.order.begin(), e->value.zset.order.end());
  if (reverse) std::reverse(items.begin(), items.end());
  int64_t len = static_cast<int64_t>(items.size());
  std::vector<std::pair<double, std::string>> picked;

  if (type == Type::kRank) {
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (!(start > end || start >= len)) {
      if (end >= len) end = len - 1;
      for (int64_t i = start; i <= end; ++i) picked.push_back(items[i]);
    }
  } else {
    // Offset and limit, as the C loops treat them: an offset past the end,
    // or a negative one, yields nothing; a negative limit means no limit.
    if (!(offset > 0 && offset >= len) && offset >= 0) {
      // In range: for the forward walk, start at the first element >= min
      // and stop at the first > max; the reverse walk mirrors it.
      std::vector<std::pair<double, std::string>> in_range;
      if (type == Type::kScore) {
        bool empty = smin > smax || (smin == smax && (sminex || smaxex));
        auto gte_min = [&](double s) { return sminex ? s > smin : s >= smin; };
        auto lte_max = [&](double s) { return smaxex ? s < smax : s <= smax; };
        if (!empty) {
          for (const auto& it : items) {
            if (gte_min(it.first) && lte_max(it.first)) in_range.push_back(it);
          }
        }
      } else {
        // zslIsInLexRange, then zzlFirstInLexRange / zzlLastInLexRange: a
        // walk in stored order (which is lexicographic only when all scores
        // are equal, as the command expects).
        int cmp = CompareBounds(lmin, lmax);
        bool empty = cmp > 0 || (cmp == 0 && (lmin.exclusive || lmax.exclusive));
        const auto& order = e->value.zset.order;
        if (!empty && (!LexGteMin(order.rbegin()->second, lmin) || !LexLteMax(order.begin()->second, lmax)))
          empty = true;
        if (!empty) {
          if (!reverse) {
            auto it = items.begin();
            while (it != items.end() && !LexGteMin(it->second, lmin)) ++it;
            for (; it != items.end() && LexLteMax(it->second, lmax); ++it) in_range.push_back(*it);
          } else {
            auto it = items.begin();
            while (it != items.end() && !LexLteMax(it->second, lmax)) ++it;
            for (; it != items.end() && LexGteMin(it->second, lmin); ++it) in_range.push_back(*it);
          }
        }
      }
      for (int64_t i = offset; i < static_cast<int64_t>(in_range.size()); ++i) {
        if (limit >= 0 && static_cast<int64_t>(picked.size()) >= limit) break;
        picked.push_back(in_range[i]);
      }
    }
  }
  std::vector<Reply> out;
  for (const auto& [s, m] : picked) {
    out.push_back(Reply::Bulk(m));
    if (withscores) out.push_back(Reply::Bulk(FormatDouble(s)));  // RESP2: flat
  }
  return Reply::Array(std::move(out));
}

}  // namespace

Reply CmdZadd(Ctx& c, const Argv& a) { return ZaddGeneric(c, a, false); }
Reply CmdZincrby(Ctx& c, const Argv& a) { return ZaddGeneric(c, a, true); }

Reply CmdZscore(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kZset, &e, &err)) return err;
  if (!e) return Reply::Nil();
  auto it = e->value.zset.score.find(a[2]);
  return it == e->value.zset.score.end() ? Reply::Nil() : Reply::Bulk(FormatDouble(it->second));
}

Reply CmdZrem(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kZset, &e, &err)) return err;
  if (!e) return Reply::Integer(0);
  int64_t removed = 0;
  for (size_t i = 2; i < a.size(); ++i) removed += e->value.zset.Erase(a[i]);
  if (removed) {
    DeleteIfEmpty(c, a[1]);
    Touch(c.m, c.s.db, a[1]);
  }
  return Reply::Integer(removed);
}

Reply CmdZcard(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kZset, &e, &err)) return err;
  return Reply::Integer(e ? static_cast<int64_t>(e->value.zset.size()) : 0);
}

Reply CmdZrange(Ctx& c, const Argv& a) { return ZrangeGeneric(c, a, RangeCmd::kZrange); }
Reply CmdZrangebyscore(Ctx& c, const Argv& a) { return ZrangeGeneric(c, a, RangeCmd::kZrangebyscore); }
Reply CmdZrevrange(Ctx& c, const Argv& a) { return ZrangeGeneric(c, a, RangeCmd::kZrevrange); }

Reply CmdZmscore(Ctx& c, const Argv& a) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kZset, &e, &err)) return err;
  std::vector<Reply> out;
  for (size_t i = 2; i < a.size(); ++i) {
    auto it = e ? e->value.zset.score.find(a[i]) : std::map<std::string, double>::iterator{};
    out.push_back(e && it != e->value.zset.score.end() ? Reply::Bulk(FormatDouble(it->second)) : Reply::Nil());
  }
  return Reply::Array(std::move(out));
}

// ZCOUNT key min max: the range is parsed before the key is looked up.
Reply CmdZcount(Ctx& c, const Argv& a) {
  double min, max;
  bool minex, maxex;
  if (!ParseScoreBound(a[2], &min, &minex) || !ParseScoreBound(a[3], &max, &maxex)) {
    return Reply::Error("ERR min or max is not a float");
  }
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kZset, &e, &err)) return err;
  if (!e) return Reply::Integer(0);
  int64_t n = 0;
  for (const auto& [score, member] : e->value.zset.order) {
    bool above = minex ? score > min : score >= min;
    bool below = maxex ? score < max : score <= max;
    n += above && below;
  }
  return Reply::Integer(n);
}

namespace {

Reply ZrankGeneric(Ctx& c, const Argv& a, bool reverse) {
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kZset, &e, &err)) return err;
  if (!e) return Reply::Nil();
  const ZSet& z = e->value.zset;
  if (!z.score.count(a[2])) return Reply::Nil();
  int64_t rank = 0;
  for (const auto& [score, member] : z.order) {
    if (member == a[2]) break;
    ++rank;
  }
  return Reply::Integer(reverse ? static_cast<int64_t>(z.size()) - 1 - rank : rank);
}

// ZPOPMIN/ZPOPMAX key [count]: count parsed first ("must be positive" for
// junk too); a missing key or count 0 is an empty array and touches nothing
// (T21); RESP2-shaped here (member, score, ...); RESP3's pairs are
// canonicalised to it (reply_order.h).
Reply ZpopGeneric(Ctx& c, const Argv& a, bool max) {
  if (a.size() > 3) return SyntaxError();
  int64_t count = -1;
  if (a.size() == 3 && (!ParseInt64(a[2], &count) || count < 0)) {
    return Reply::Error("ERR value is out of range, must be positive");
  }
  Entry* e;
  Reply err;
  if (!LookupKind(c, a[1], Kind::kZset, &e, &err)) return err;
  if (!e || count == 0) return Reply::Array();
  if (count == -1) count = 1;
  std::vector<Reply> out;
  ZSet& z = e->value.zset;
  for (int64_t i = 0; i < count && z.size() > 0; ++i) {
    auto item = max ? *z.order.rbegin() : *z.order.begin();
    z.Erase(item.second);
    out.push_back(Reply::Bulk(item.second));
    out.push_back(Reply::Bulk(FormatDouble(item.first)));
  }
  DeleteIfEmpty(c, a[1]);
  Touch(c.m, c.s.db, a[1]);
  return Reply::Array(std::move(out));
}

}  // namespace

Reply CmdZrank(Ctx& c, const Argv& a) { return ZrankGeneric(c, a, false); }
Reply CmdZrevrank(Ctx& c, const Argv& a) { return ZrankGeneric(c, a, true); }
Reply CmdZpopmin(Ctx& c, const Argv& a) { return ZpopGeneric(c, a, false); }
Reply CmdZpopmax(Ctx& c, const Argv& a) { return ZpopGeneric(c, a, true); }

}  // namespace txlab::model_internal
