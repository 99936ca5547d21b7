// Edn: a small EDN/JSON value tree, the payload of history operations.
//
// Jepsen histories put arbitrary data in an operation's :value
// ([[:append 3 7] [:r 4 [1 2]]], [1 2] for a cas, 5 for a read, nil, ...).
// Edn holds exactly that: nil, booleans, integers, doubles, strings,
// keywords, vectors (lists read as vectors) and maps (kept in order).
#ifndef TXLAB_MODEL_EDN_H_
#define TXLAB_MODEL_EDN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace txlab {

class Edn {
 public:
  struct Keyword {
    std::string name;  // without the leading ':'
    friend bool operator==(const Keyword&, const Keyword&) = default;
  };
  using Vector = std::vector<Edn>;
  using Map = std::vector<std::pair<Edn, Edn>>;  // insertion order

  Edn() = default;  // nil
  static Edn Nil() { return Edn(); }
  static Edn Bool(bool b) { return Edn(V(b)); }
  static Edn Int(int64_t i) { return Edn(V(i)); }
  static Edn Double(double d) { return Edn(V(d)); }
  static Edn String(std::string s) { return Edn(V(std::move(s))); }
  static Edn Kw(std::string name) { return Edn(V(Keyword{std::move(name)})); }
  static Edn Vec(Vector v = {}) { return Edn(V(std::move(v))); }
  static Edn MapOf(Map m = {}) { return Edn(V(std::move(m))); }

  bool is_nil() const { return std::holds_alternative<std::monostate>(v_); }
  bool is_bool() const { return std::holds_alternative<bool>(v_); }
  bool is_int() const { return std::holds_alternative<int64_t>(v_); }
  bool is_double() const { return std::holds_alternative<double>(v_); }
  bool is_string() const { return std::holds_alternative<std::string>(v_); }
  bool is_keyword() const { return std::holds_alternative<Keyword>(v_); }
  bool is_vector() const { return std::holds_alternative<Vector>(v_); }
  bool is_map() const { return std::holds_alternative<Map>(v_); }

  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_double() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const std::string& as_keyword() const { return std::get<Keyword>(v_).name; }
  const Vector& as_vector() const { return std::get<Vector>(v_); }
  Vector& as_vector() { return std::get<Vector>(v_); }
  const Map& as_map() const { return std::get<Map>(v_); }
  Map& as_map() { return std::get<Map>(v_); }

  // Map lookup by keyword name (":value" -> Get("value")); nullptr if absent.
  const Edn* Get(std::string_view keyword) const;

  // EDN text, e.g. [[:append 3 7] [:r 4 [1 2]]].
  std::string ToEdn() const;
  // JSON text as elle-cli reads it: keywords become strings, maps objects.
  std::string ToJson() const;

  friend bool operator==(const Edn&, const Edn&) = default;

 private:
  using V = std::variant<std::monostate, bool, int64_t, double, std::string, Keyword, Vector, Map>;
  explicit Edn(V v) : v_(std::move(v)) {}
  V v_;
};

}  // namespace txlab

#endif  // TXLAB_MODEL_EDN_H_
