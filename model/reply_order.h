// Comparing replies from different implementations of the same commands
// (engine, model, redis-server) where Redis leaves something unspecified.
//
//   * Order: SMEMBERS and KEYS return members in hash-table order, HGETALL
//     field/value pairs in an encoding-dependent order. CanonicalReply sorts
//     them (HGETALL by pair), so equal contents compare equal.
//   * Shape: the reply types can carry RESP3 values (Map, Double, Bool). A
//     RESP2 client sees a flat array, a bulk string ("%.17g", "inf") and an
//     integer; CanonicalReply converts to that shape, so an implementation
//     may answer in either.
#ifndef TXLAB_MODEL_REPLY_ORDER_H_
#define TXLAB_MODEL_REPLY_ORDER_H_

#include <string>
#include <vector>

#include "model/reply.h"

namespace txlab {

// RESP3-only types converted to what a RESP2 client receives.
Reply ToResp2(const Reply& r);

// The reply `r` to command `argv`, RESP2-shaped and with unspecified orders
// sorted. For EXEC use CanonicalExecReply.
Reply CanonicalReply(const std::vector<std::string>& argv, const Reply& r);

// EXEC's reply `r`, each slot canonicalised for the command queued in it.
// A reply that is not an array of queued.size() elements (nil, EXECABORT)
// is only converted to RESP2.
Reply CanonicalExecReply(const std::vector<std::vector<std::string>>& queued, const Reply& r);

}  // namespace txlab

#endif  // TXLAB_MODEL_REPLY_ORDER_H_
