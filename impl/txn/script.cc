#include "impl/txn/script.h"

#include <openssl/sha.h>

#include <cstdio>

namespace txlab {

Script::Script(std::string body) : body_(std::move(body)) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(body_.data()), body_.size(), digest);
  char hex[2 * SHA_DIGEST_LENGTH + 1];
  for (int i = 0; i < SHA_DIGEST_LENGTH; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  sha_.assign(hex, 2 * SHA_DIGEST_LENGTH);
}

Task<Reply> RunScript(Connection& conn, const Script& script, const std::vector<std::string>& keys,
                      const std::vector<std::string>& args) {
  auto argv = [&] {
    std::vector<std::string> a;
    a.reserve(3 + keys.size() + args.size());
    a.push_back("EVALSHA");
    a.push_back(script.sha());
    a.push_back(std::to_string(keys.size()));
    a.insert(a.end(), keys.begin(), keys.end());
    a.insert(a.end(), args.begin(), args.end());
    return a;
  };
  Reply r = co_await conn.Call(argv());
  if (r.is_error() && r.error_code() == "NOSCRIPT") {
    Reply loaded = co_await conn.Call(Cmd("SCRIPT", "LOAD", script.body()));
    if (loaded.is_error()) co_return loaded;
    r = co_await conn.Call(argv());
  }
  co_return r;
}

}  // namespace txlab
