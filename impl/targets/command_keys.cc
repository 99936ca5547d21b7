#include "impl/targets/command_keys.h"

#include <charconv>
#include <string_view>
#include <unordered_map>

namespace txlab {
namespace {

struct KeySpec {
  int first;  // argv index of the first key
  int last;   // of the last key; -1: the last argument
  int step;
};

const std::unordered_map<std::string_view, KeySpec>& Table() {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string_view, KeySpec>;
    for (std::string_view n :
         {"GET", "SET", "SETNX", "SETEX", "PSETEX", "GETSET", "GETDEL", "GETEX", "INCR", "INCRBY", "DECR", "DECRBY",
          "INCRBYFLOAT", "APPEND", "STRLEN", "GETRANGE", "SETRANGE", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT",
          "TTL", "PTTL", "PERSIST", "TYPE", "DUMP", "RESTORE", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP",
          "LRANGE", "LLEN", "LINDEX", "LSET", "LREM", "LTRIM", "LINSERT", "LPOS", "HSET", "HSETNX", "HGET", "HDEL",
          "HGETALL", "HINCRBY", "HMSET", "HMGET", "HEXISTS", "HLEN", "HKEYS", "HVALS", "SADD", "SREM", "SMEMBERS",
          "SISMEMBER", "SCARD", "SPOP", "ZADD", "ZREM", "ZSCORE", "ZRANGE", "ZRANGEBYSCORE", "ZRANGEBYLEX",
          "ZREVRANGE", "ZCARD", "ZINCRBY", "ZRANK", "ZCOUNT", "SETBIT", "GETBIT", "BITCOUNT", "PFADD", "XADD", "XLEN",
          "XRANGE"}) {
      (*t)[n] = {1, 1, 1};
    }
    for (std::string_view n : {"DEL", "UNLINK", "EXISTS", "MGET", "WATCH", "TOUCH", "SUNION", "SINTER", "SDIFF",
                               "SUNIONSTORE", "SINTERSTORE", "SDIFFSTORE", "PFCOUNT", "PFMERGE"}) {
      (*t)[n] = {1, -1, 1};
    }
    for (std::string_view n : {"MSET", "MSETNX"}) (*t)[n] = {1, -1, 2};
    for (std::string_view n : {"RENAME", "RENAMENX", "RPOPLPUSH", "LMOVE", "SMOVE", "COPY"}) (*t)[n] = {1, 2, 1};
    return t;
  }();
  return *table;
}

bool IsScriptCall(const std::string& name) {
  return name == "EVAL" || name == "EVALSHA" || name == "EVAL_RO" || name == "EVALSHA_RO" || name == "FCALL" ||
         name == "FCALL_RO";
}

}  // namespace

std::vector<size_t> CommandKeyIndexes(const std::string& name, const std::vector<std::string>& argv) {
  std::vector<size_t> out;
  if (IsScriptCall(name)) {
    if (argv.size() < 3) return out;
    size_t n = 0;
    const std::string& s = argv[2];
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size()) return out;  // the server will refuse it
    for (size_t i = 3; i < 3 + n && i < argv.size(); ++i) out.push_back(i);
    return out;
  }
  auto it = Table().find(name);
  if (it == Table().end()) return out;
  const KeySpec k = it->second;
  if (argv.size() <= static_cast<size_t>(k.first)) return out;
  const size_t last = k.last < 0 ? argv.size() - 1 : std::min(argv.size() - 1, static_cast<size_t>(k.last));
  for (size_t i = k.first; i <= last; i += k.step) out.push_back(i);
  return out;
}

}  // namespace txlab
