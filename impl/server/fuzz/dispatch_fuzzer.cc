// libFuzzer entry point for command dispatch: RESP bytes parsed as
// `txlab serve` parses them, every command run on an embedded engine session
// (see dispatch_fuzz_body.h for what is checked). Build and run:
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
//         -DCMAKE_C_COMPILER=clang -DTXLAB_FUZZ=ON
//   ninja -C build-fuzz dispatch_fuzzer
//   build-fuzz/impl/server/dispatch_fuzzer -max_total_time=60 /tmp/corpus impl/server/fuzz/corpus
// scripts/fuzz runs both fuzz targets for a bounded number of inputs in CI.
#include <cstddef>
#include <cstdint>

#include "impl/server/fuzz/dispatch_fuzz_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  txlab::FuzzDispatchInput(data, size);
  return 0;
}
