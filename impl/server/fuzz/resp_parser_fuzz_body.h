// The checks run on every fuzz input, shared by the libFuzzer target
// (resp_parser_fuzzer.cc) and the corpus replay in the normal test suite
// (resp_fuzz_corpus_test.cc). Any violated property aborts.
//
// Request parser properties, for each input:
//   * no crash, no sanitizer report, no unbounded memory;
//   * the commands and the final outcome (error text, or waiting) are the
//     same however the bytes are split into Feed calls;
//   * every command is non-empty and within the limits;
//   * the commands, re-encoded as multibulk and parsed again, come back equal.
// Reply reader properties: same split invariance, and each reply read back
// re-encodes (RESP3) to bytes that read back to the same encoding.
#ifndef TXLAB_IMPL_SERVER_FUZZ_RESP_PARSER_FUZZ_BODY_H_
#define TXLAB_IMPL_SERVER_FUZZ_RESP_PARSER_FUZZ_BODY_H_

#include <cstddef>
#include <cstdint>

namespace txlab {

void FuzzRespInput(const uint8_t* data, size_t size);

}  // namespace txlab

#endif  // TXLAB_IMPL_SERVER_FUZZ_RESP_PARSER_FUZZ_BODY_H_
