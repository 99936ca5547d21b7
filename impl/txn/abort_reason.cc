#include "impl/txn/abort_reason.h"

namespace txlab {

namespace {
constexpr std::string_view kNames[] = {
#define TXLAB_ABORT_NAME(e, name, why) name,
    TXLAB_ABORT_REASONS(TXLAB_ABORT_NAME)
#undef TXLAB_ABORT_NAME
};
constexpr std::string_view kWhy[] = {
#define TXLAB_ABORT_WHY(e, name, why) why,
    TXLAB_ABORT_REASONS(TXLAB_ABORT_WHY)
#undef TXLAB_ABORT_WHY
};
static_assert(std::size(kNames) == kAbortReasonCount);
}  // namespace

std::string_view AbortReasonName(AbortReason r) { return kNames[static_cast<size_t>(r)]; }
std::string_view AbortReasonDescription(AbortReason r) { return kWhy[static_cast<size_t>(r)]; }

std::optional<AbortReason> AbortReasonFromName(std::string_view name) {
  for (size_t i = 0; i < kAbortReasonCount; ++i) {
    if (kNames[i] == name) return static_cast<AbortReason>(i);
  }
  return std::nullopt;
}

uint64_t AbortCounts::Total() const {
  uint64_t t = 0;
  for (uint64_t x : n) t += x;
  return t;
}

AbortCounts& AbortCounts::operator+=(const AbortCounts& o) {
  for (size_t i = 0; i < kAbortReasonCount; ++i) n[i] += o.n[i];
  return *this;
}

}  // namespace txlab
