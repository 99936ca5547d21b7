// THE list of Lua 5.4 vs 5.1 differences the conformance tests exclude: the
// differential test against redis-server (serve_differential_test.cc) and
// the in-process test against the model's prediction of Redis 7.0
// (engine_model_test.cc). Each entry is a
// difference documented in impl/lua/COMPATIBILITY.md ("Differences that
// remain"), tied to the generated script form that shows it
// (diff_script.h), with the exact shape the two replies must have: a reply
// that differs in any other way is still a divergence. Nothing else about Lua
// is excluded anywhere.
#ifndef TXLAB_IMPL_CONFORMANCE_LUA_EXCLUSIONS_H_
#define TXLAB_IMPL_CONFORMANCE_LUA_EXCLUSIONS_H_

#include <string>
#include <vector>

#include "impl/conformance/diff_script.h"
#include "model/reply.h"

namespace txlab::diff {

struct LuaExclusion {
  const char* id;
  ReturnForm form;          // the script form that shows it
  const char* compat_ref;   // where impl/lua/COMPATIBILITY.md documents it
  // True if redis-server's reply `redis` and txlab's `txlab` differ exactly
  // as documented.
  bool (*explains)(const Reply& redis, const Reply& txlab);
};

namespace exclusion_internal {

inline std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

inline bool BothErrors(const Reply& a, const Reply& b) { return a.is_error() && b.is_error(); }

}  // namespace exclusion_internal

inline const std::vector<LuaExclusion>& LuaExclusions() {
  using namespace exclusion_internal;
  static const std::vector<LuaExclusion> kList = {
      // tostring(10/2): 5.4 has a float subtype, "5.0" where 5.1 says "5".
      {"float-tostring", ReturnForm::kTostringDiv, "Differences that remain: Integer subtype (tostring(10/2))",
       [](const Reply& r, const Reply& t) {
         return r.type() == Reply::Type::kBulk && t.type() == Reply::Type::kBulk && t.str() == r.str() + ".0";
       }},
      // _VERSION names the interpreter.
      {"version", ReturnForm::kVersion, "Differences that remain: _VERSION",
       [](const Reply& r, const Reply& t) { return r == Reply::Bulk("Lua 5.1") && t == Reply::Bulk("Lua 5.4"); }},
      // Lua's own runtime error wording: 5.1 "attempt to call local 'f' (a nil
      // value)", 5.4 "attempt to call a nil value (local 'f')"; the rest of
      // the error (code, position, script suffix) must be identical.
      {"error-wording-call", ReturnForm::kCallNilLocal, "Differences that remain: Error wording",
       [](const Reply& r, const Reply& t) {
         return BothErrors(r, t) && r.str().find("attempt to call local 'f' (a nil value)") != std::string::npos &&
                Replace(r.str(), "attempt to call local 'f' (a nil value)", "attempt to call a nil value (local 'f')") ==
                    t.str();
       }},
      // Compile errors: 5.1 quotes the token ("near '<eof>'"), 5.4 does not.
      {"error-wording-eof", ReturnForm::kCompileError, "Differences that remain: Error wording (near <eof>)",
       [](const Reply& r, const Reply& t) {
         return BothErrors(r, t) && r.str().find("near '<eof>'") != std::string::npos &&
                Replace(r.str(), "near '<eof>'", "near <eof>") == t.str();
       }},
  };
  return kList;
}

// The exclusion that explains why `redis` and `txlab` differ for a run of
// script `s`, or nullptr.
inline const LuaExclusion* ExplainedBy(const Script& s, const Reply& redis, const Reply& txlab) {
  for (const LuaExclusion& e : LuaExclusions())
    if (e.form == s.ret && e.explains(redis, txlab)) return &e;
  return nullptr;
}

// As ExplainedBy, with the model's prediction of Redis 7.0's reply
// (EvalOnModel) in place of redis-server's: a predicted error that ends in
// " script: " (the model knows no sha) is completed with the rest of
// `txlab`'s error, so only the documented wording may differ.
inline const LuaExclusion* ExplainedByPrediction(const Script& s, const Reply& predicted, const Reply& txlab) {
  static const std::string kTail = " script: ";
  const std::string& p = predicted.str();
  if (predicted.is_error() && p.size() >= kTail.size() && p.compare(p.size() - kTail.size(), kTail.size(), kTail) == 0) {
    const size_t at = txlab.is_error() ? txlab.str().rfind(kTail) : std::string::npos;
    if (at == std::string::npos) return nullptr;
    return ExplainedBy(s, Reply::Error(p + txlab.str().substr(at + kTail.size())), txlab);
  }
  return ExplainedBy(s, predicted, txlab);
}

}  // namespace txlab::diff

#endif  // TXLAB_IMPL_CONFORMANCE_LUA_EXCLUSIONS_H_
