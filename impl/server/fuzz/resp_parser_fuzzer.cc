// libFuzzer entry point for the RESP codec (see resp_parser_fuzz_body.h for
// the properties checked). Build and run:
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
//         -DCMAKE_C_COMPILER=clang -DTXLAB_FUZZ=ON
//   ninja -C build-fuzz resp_parser_fuzzer
//   build-fuzz/impl/server/resp_parser_fuzzer -max_total_time=60 \
//         -max_len=4096 /tmp/corpus impl/server/fuzz/corpus
// (new inputs go to the first folder; copy small, interesting ones into
// impl/server/fuzz/corpus so the normal suite replays them).
#include <cstddef>
#include <cstdint>

#include "impl/server/fuzz/resp_parser_fuzz_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  txlab::FuzzRespInput(data, size);
  return 0;
}
