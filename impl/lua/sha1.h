// SHA1 hex digests: the names of cached scripts (SCRIPT LOAD, EVALSHA) and
// redis.sha1hex().
#ifndef TXLAB_IMPL_LUA_SHA1_H_
#define TXLAB_IMPL_LUA_SHA1_H_

#include <string>
#include <string_view>

namespace txlab {

// 40 lower-case hex digits of SHA1(data) (OpenSSL's one-shot SHA1()).
std::string Sha1Hex(std::string_view data);

// Copies `sha` to `out` in lower case if it has the shape of a SHA1 hex
// digest's length (40 characters); returns false otherwise. EVALSHA accepts
// upper-case digests (S13).
bool NormalizeSha(std::string_view sha, char out[40]);

}  // namespace txlab

#endif  // TXLAB_IMPL_LUA_SHA1_H_
