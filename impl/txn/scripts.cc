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

// ---- lock-2pc (lock_2pc_strategy.cc) ----
// An intent is the string "<iid> w <value>" (SET) or "<iid> a <v1> <v2>..."
// (RPUSH each), iid = "<txid>@<hex of the home key>" (lock_keys.h IntentId;
// the txid is also the lease token). Every key of one call is in one slot:
// lock:{k}, intent:{k} and k share k's hash tag, and the decision record of a
// txn shares its home key's (lock_keys.h).

// Applies intent payload `p` ("w 5", "a 1 2") to data key `k`.
constexpr const char* kApplyIntent = R"lua(local function apply(k, p)
  local op = nil
  for w in string.gmatch(p, '%S+') do
    if not op then
      op = w
    elseif op == 'w' then
      redis.call('SET', k, w)
    else
      redis.call('RPUSH', k, w)
    end
  end
end
)lua";

// KEYS: pairs (intent:{k}, k). ARGV[i]: 'r' read k as a register, 'l' as a
// list, '-' do not read it. Replies two entries per key: its intent (nil if
// none) and its value (nil for '-').
const Script& TwoPcReadScript() {
  static const Script s(R"lua(-- txlab: 2pc read
local out = {}
for i = 1, #ARGV do
  out[2 * i - 1] = redis.call('GET', KEYS[2 * i - 1])
  if ARGV[i] == 'l' then
    out[2 * i] = redis.call('LRANGE', KEYS[2 * i], 0, -1)
  elseif ARGV[i] == 'r' then
    out[2 * i] = redis.call('GET', KEYS[2 * i])
  else
    out[2 * i] = false
  end
end
return out
)lua");
  return s;
}

// KEYS: triples (lock:{k}, intent:{k}, k), then for mode 'h' the txn's
// decision record. ARGV[1] the txn's id: its txid (the lease token) for
// modes 'v' and 'c', its iid for 'p' and 'h'; ARGV[2] mode, ARGV[2+i] the
// payload for key i ('' if not written), for 'h' then ARGV[3+n] the record's
// value. Refuses, writing nothing, unless every lock still holds the token
// (-LEASELOST) and no key carries another txn's intent (-INTENT). Then mode
// 'v' (validate) stops; 'p' (prepare) writes the intents; 'h' (commit, at the
// home participant, after every other one prepared) writes the intents and
// the decision record together: the single commit point; 'c' (one-phase
// commit, the only participant) applies the payloads at once.
const Script& TwoPcPrepareScript() {
  static const Script s(std::string("-- txlab: 2pc prepare\n") + kApplyIntent + R"lua(local tx, mode = ARGV[1], ARGV[2]
local token = string.match(tx, '^[^@]*')
local n = math.floor(#KEYS / 3)
for i = 1, n do
  if redis.call('GET', KEYS[3 * i - 2]) ~= token then
    return redis.error_reply('LEASELOST ' .. KEYS[3 * i - 2] .. ' is not held by ' .. token)
  end
  local it = redis.call('GET', KEYS[3 * i - 1])
  if it and string.match(it, '^%S+') ~= tx then
    return redis.error_reply('INTENT ' .. KEYS[3 * i - 1] .. ' holds ' .. it)
  end
end
if mode == 'v' then return 0 end
for i = 1, n do
  local p = ARGV[2 + i]
  if p ~= '' then
    if mode == 'c' then
      apply(KEYS[3 * i], p)
    else
      redis.call('SET', KEYS[3 * i - 1], tx .. ' ' .. p)
    end
  end
end
if mode == 'h' then redis.call('SET', KEYS[#KEYS], ARGV[3 + n]) end
return n
)lua");
  return s;
}

// KEYS: pairs (intent:{k}, k), optionally followed by the txn's decision
// record. ARGV[1] iid, ARGV[2] 'c' (apply the intents of iid, then delete
// them) or 'a' (delete them). Intents of other txns are left alone, so it is
// idempotent and safe to run late. With the record (only for 'c', on the
// home participant, once every other participant is finished) it deletes
// the record in the same step: a record never outlives its home intents.
// Replies how many intents it finished.
const Script& TwoPcFinishScript() {
  static const Script s(std::string("-- txlab: 2pc finish\n") + kApplyIntent + R"lua(local done = 0
local pairs_end = #KEYS - (#KEYS % 2)
for i = 1, pairs_end, 2 do
  local it = redis.call('GET', KEYS[i])
  if it then
    local tx, p = string.match(it, '^(%S+) (.*)$')
    if tx == ARGV[1] then
      if ARGV[2] == 'c' then apply(KEYS[i + 1], p) end
      redis.call('DEL', KEYS[i])
      done = done + 1
    end
  end
end
if #KEYS % 2 == 1 then redis.call('DEL', KEYS[#KEYS]) end
return done
)lua");
  return s;
}

// KEYS: a txn's decision record, the lock of its home key. ARGV[1] its txid.
// Replies the record if there is one (the txn committed: "c <hex key>...");
// otherwise the txn is aborted for good, and nil: if it still holds its home
// lease, the lease is revoked, so its commit (mode 'h', which needs that
// lease) can never succeed. No abort record is ever written.
const Script& TwoPcDecideScript() {
  static const Script s(R"lua(-- txlab: 2pc decide
local v = redis.call('GET', KEYS[1])
if v then return v end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return false
)lua");
  return s;
}

}  // namespace txlab
