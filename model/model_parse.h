// Number parsing, number formatting and glob matching with Redis 7.0's exact
// rules (util.c string2ll / string2ld / ld2string, object.c getDoubleFromObject,
// networking.c addReplyDouble, util.c stringmatchlen). Used by the reference
// model only.
#ifndef TXLAB_MODEL_MODEL_PARSE_H_
#define TXLAB_MODEL_MODEL_PARSE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace txlab::model_internal {

// string2ll: optional '-', no '+', no leading zeros, no spaces, fits int64.
bool ParseInt64(std::string_view s, int64_t* out);
// getDoubleFromObject: strtod over the whole string, no leading space, no NaN,
// overflow (±HUGE_VAL with ERANGE) and underflow to zero rejected. "inf" ok.
bool ParseDouble(std::string_view s, double* out);
// string2ld (INCRBYFLOAT): the same rules with strtold.
bool ParseLongDouble(std::string_view s, long double* out);
// zslParseRange's bound: optional '(' (exclusive), then strtod that must
// consume the rest; NaN rejected. Note: unlike ParseDouble, spaces are allowed.
bool ParseScoreBound(std::string_view s, double* out, bool* exclusive);

// RESP2 rendering of a double (addReplyDouble in 7.0): "%.17g", "inf", "-inf".
std::string FormatDouble(double d);
// ld2string(LD_STR_HUMAN) as INCRBYFLOAT stores it: "%.17Lf", trailing zeros
// and a trailing '.' removed, "-0" → "0".
std::string FormatLongDoubleHuman(long double v);

// Redis glob matching (KEYS): * ? [abc] [^a] [a-z] and \x escapes.
bool GlobMatch(std::string_view pattern, std::string_view s);

std::string Lower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace txlab::model_internal

#endif  // TXLAB_MODEL_MODEL_PARSE_H_
