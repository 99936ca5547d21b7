// Number parsing and formatting exactly as Redis does it (util.c), so that
// replies and error decisions match redis-server byte for byte.
#ifndef TXLAB_IMPL_ENGINE_PARSE_H_
#define TXLAB_IMPL_ENGINE_PARSE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace txlab {

// string2ll: strict decimal int64. No spaces, no '+', no leading zeros
// ("0" itself is fine, "-0" is not), no overflow.
bool ParseInt64(std::string_view s, int64_t* out);

// getDoubleFromObject / strtod: whole string, no leading space, not NaN,
// "inf"/"-inf" accepted. Used for scores and timeouts.
bool ParseDouble(std::string_view s, double* out);

// string2ld (INCRBYFLOAT): like ParseDouble but long double. Rejects NaN.
bool ParseLongDouble(std::string_view s, long double* out);

// ld2string(LD_STR_HUMAN): "%.17Lf" with trailing zeros removed (INCRBYFLOAT).
std::string FormatLongDoubleHuman(long double v);

// addReplyDouble (Redis 7.0, RESP2): "%.17g", and "inf"/"-inf".
// ZSCORE, ZINCRBY, WITHSCORES.
std::string FormatDouble(double v);

// ASCII lower-case equality (option names such as "EX", "withscores").
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Redis glob-style matching (stringmatchlen): * ? [abc] [^a] [a-z] \x.
bool GlobMatch(std::string_view pattern, std::string_view s, bool nocase = false);

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_PARSE_H_
