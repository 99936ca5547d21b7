// The checks of the command-dispatch fuzz target (dispatch_fuzzer.cc), shared
// with its corpus replay in the normal suite (dispatch_fuzz_corpus_test.cc).
//
// Each input is RESP request bytes. They are parsed as `txlab serve` parses
// them, and every command is dispatched to an embedded engine Session, as a
// connection would. To reach the whole command table from short inputs, a
// command whose name is one byte, or names no command, is replaced by the
// table's command at (first byte mod table size), in name order.
// Properties, for each input:
//   * no crash, sanitizer report or unbounded memory in parsing or dispatch;
//   * every reply is well formed: written as RESP2 and as RESP3, it reads
//     back to exactly one reply that re-encodes to the same bytes;
//   * the engine keeps serving afterwards: a fresh session gets PONG to PING.
// Not dispatched (they can wait forever with one client): blocking commands
// (BLPOP/BRPOP) and scripting (EVAL*, FCALL*, FUNCTION, SCRIPT: a generated
// `while true do end` is the runaway-script case, which the Lua tests and the
// server BUSY tests cover with a second client that kills it).
#ifndef TXLAB_IMPL_SERVER_FUZZ_DISPATCH_FUZZ_BODY_H_
#define TXLAB_IMPL_SERVER_FUZZ_DISPATCH_FUZZ_BODY_H_

#include <cstddef>
#include <cstdint>

namespace txlab {

void FuzzDispatchInput(const uint8_t* data, size_t size);

}  // namespace txlab

#endif  // TXLAB_IMPL_SERVER_FUZZ_DISPATCH_FUZZ_BODY_H_
