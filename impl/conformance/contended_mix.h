// The contended-transactions mix shared by the differential tests (in-process
// and over the wire): 2 keys in one database, transactions dominating, so
// WATCHed keys are touched (or not) by the other sessions all the time
// (T18-T25).
#ifndef TXLAB_IMPL_CONFORMANCE_CONTENDED_MIX_H_
#define TXLAB_IMPL_CONFORMANCE_CONTENDED_MIX_H_

#include "model/model_gen.h"

namespace txlab {

inline program::GenConfig ContendedTransactionsMix() {
  program::GenConfig c;
  c.keys = {"a", "b"};
  c.databases = 1;
  c.only_weighted = true;
  c.weights = {{"WATCH", 12}, {"MULTI", 10}, {"EXEC", 14}, {"UNWATCH", 1}, {"DISCARD", 2}, {"RESET", 1},
               {"SADD", 8},   {"SREM", 4},   {"HSET", 4},  {"HDEL", 3},    {"ZADD", 6},   {"ZREM", 3},
               {"LPUSH", 3},  {"LPOP", 2},   {"LREM", 2},  {"DEL", 3},     {"SETNX", 3},  {"SET", 4},
               {"GET", 3},    {"INCR", 4},   {"SMEMBERS", 2}, {"FLUSHDB", 1}, {"SWAPDB", 1}, {"RENAME", 2},
               {"EXPIRE", 2}, {"PERSIST", 2}, {"_arity", 2}, {"_unknown", 1},
               // Multi-key set writes: WATCHed destinations overwritten,
               // emptied, or left alone (T20, T21).
               {"SMOVE", 3}, {"SINTERSTORE", 2}, {"SUNIONSTORE", 2}, {"SDIFFSTORE", 2}, {"SINTER", 1},
               {"SINTERCARD", 1}, {"ZPOPMIN", 2}, {"ZPOPMAX", 1}, {"ZRANK", 1},
               {"LSET", 2},   {"LTRIM", 2},  {"LINSERT", 2}, {"LPOS", 1}};
  return c;
}

}  // namespace txlab

#endif  // TXLAB_IMPL_CONFORMANCE_CONTENDED_MIX_H_
