// The Lua scripts of the strategies. Written for both Lua 5.1 (real Redis)
// and 5.4 (our engine): integer loops only, numbers formatted with %d.
#include "impl/txn/script.h"

#include <string>

namespace txlab {

// A whole Txn in one script. KEYS: the txn's distinct keys. ARGV: four
// entries per micro-op: code, key index, key2 index, value. Codes:
// r GET, w SET, i GET+SET (increment), t transfer, a RPUSH, l LRANGE.
// Replies one entry per micro-op. A refused transfer replies
// -INSUFFICIENT before any write (a transfer comes before any write, txn.h).
const Script& TxnScript() {
  static const Script s(R"lua(-- txlab: one transaction
local out = {}
for j = 1, #ARGV, 4 do
  local code, k, v = ARGV[j], KEYS[tonumber(ARGV[j + 1])], ARGV[j + 3]
  if code == 'r' then
    out[#out + 1] = redis.call('GET', k)
  elseif code == 'w' then
    redis.call('SET', k, v)
    out[#out + 1] = 1
  elseif code == 'i' then
    local nv = tonumber(redis.call('GET', k) or '0') + tonumber(v)
    redis.call('SET', k, string.format('%d', nv))
    out[#out + 1] = nv
  elseif code == 't' then
    local k2 = KEYS[tonumber(ARGV[j + 2])]
    local amount = tonumber(v)
    local from = tonumber(redis.call('GET', k) or '0')
    if from < amount then
      return redis.error_reply('INSUFFICIENT ' .. k .. ' holds ' .. string.format('%d', from))
    end
    local to = tonumber(redis.call('GET', k2) or '0')
    redis.call('SET', k, string.format('%d', from - amount))
    redis.call('SET', k2, string.format('%d', to + amount))
    out[#out + 1] = 1
  elseif code == 'a' then
    out[#out + 1] = redis.call('RPUSH', k, v)
  elseif code == 'l' then
    out[#out + 1] = redis.call('LRANGE', k, 0, -1)
  else
    return redis.error_reply('ERR txlab: unknown micro-op ' .. tostring(code))
  end
end
return out
)lua");
  return s;
}

// Compare-and-delete: a plain DEL could delete a lock another client has
// acquired after ours expired (SEMANTICS 5.1). KEYS[1] lock, ARGV[1] token.
const Script& ReleaseLockScript() {
  static const Script s(
      "if redis.call(\"get\",KEYS[1]) == ARGV[1] then return redis.call(\"del\",KEYS[1]) "
      "else return 0 end");
  return s;
}

// Lease + fencing token in one step (SEMANTICS 5.3): KEYS[1] lock, KEYS[2]
// fence counter; ARGV[1] lease token, ARGV[2] ttl ms. Replies the new
// fencing token (strictly increasing per grant), or 0 when the lock is held.
const Script& FencedAcquireScript() {
  static const Script s(R"lua(-- txlab: fenced acquire
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0
)lua");
  return s;
}

// The token check every fenced script starts with: ARGV[1] = n; KEYS[n+1..2n]
// hold the highest token each data key has seen; ARGV[1+i] is the token held
// for key i. Refuses (-FENCED, nothing written) if any key has seen a higher
// token. Leaves `n` defined for the rest of the script.
constexpr const char* kFenceCheck = R"lua(local n = tonumber(ARGV[1])
for i = 1, n do
  local seen = tonumber(redis.call('GET', KEYS[n + i]) or '0')
  local t = tonumber(ARGV[1 + i])
  if t < seen then
    return redis.error_reply('FENCED stale token ' .. string.format('%d', t) .. ' < ' .. string.format('%d', seen))
  end
end
)lua";

// Fenced read. ARGV[1] = n; KEYS[1..n] data keys, KEYS[n+1..2n] their
// highest-token-seen keys; ARGV[1+i] the token held for key i, ARGV[1+n+i]
// 'l' for a list key else register. Refuses with -FENCED if any key has seen
// a higher token; otherwise records the token and replies the values.
// Recording reads matters: a stale holder's later write must be refused
// even if the new holder has only read so far.
const Script& FencedReadScript() {
  static const Script s(std::string("-- txlab: fenced read\n") + kFenceCheck + R"lua(local out = {}
for i = 1, n do
  redis.call('SET', KEYS[n + i], ARGV[1 + i])
  if ARGV[1 + n + i] == 'l' then
    out[i] = redis.call('LRANGE', KEYS[i], 0, -1)
  else
    out[i] = redis.call('GET', KEYS[i])
  end
end
return out
)lua");
  return s;
}

// Fenced write, all or nothing. ARGV[1] = n; KEYS and tokens as in the
// fenced read; then three ARGV entries per write: 'w' (SET) or 'a' (RPUSH),
// key index, value. Checks every token before writing anything.
const Script& FencedWriteScript() {
  static const Script s(std::string("-- txlab: fenced write\n") + kFenceCheck + R"lua(for i = 1, n do
  redis.call('SET', KEYS[n + i], ARGV[1 + i])
end
for j = n + 2, #ARGV, 3 do
  local k = KEYS[tonumber(ARGV[j + 1])]
  if ARGV[j] == 'w' then
    redis.call('SET', k, ARGV[j + 2])
  else
    redis.call('RPUSH', k, ARGV[j + 2])
  end
end
return n
)lua");
  return s;
}

}  // namespace txlab
