// Reply: one RESP value. The vocabulary shared by the engine, the reference
// model, the RESP server and clients, and the strategies.
//
// A Reply is a plain value type: copyable, comparable with ==, printable in
// redis-cli style with ToString(). It carries no protocol encoding; the RESP2
// and RESP3 encoders live with the server.
#ifndef TXLAB_MODEL_REPLY_H_
#define TXLAB_MODEL_REPLY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace txlab {

class Reply {
 public:
  enum class Type : uint8_t {
    kStatus,    // +OK            (str)
    kError,     // -ERR message   (str, without the leading '-')
    kInteger,   // :42            (integer)
    kBulk,      // $3 foo         (str)
    kNil,       // $-1 / RESP3 _  (a missing bulk: GET of a missing key)
    kNilArray,  // *-1 / RESP3 _  (EXEC aborted by WATCH, BLPOP timeout)
    kArray,     // *N             (elems)
    kDouble,    // RESP3 ,1.5     (dbl); RESP2 sends it as a bulk string
    kBool,      // RESP3 #t       (integer 0/1); RESP2 sends :0/:1
    kMap,       // RESP3 %N       (elems: k1 v1 k2 v2 ...); RESP2 flat array
    kSet,       // RESP3 ~N       (elems); RESP2 array
    kVerbatim,  // RESP3 =N fmt:text (str: "fmt:text", fmt three letters); RESP2 bulk of text
    kBigNumber, // RESP3 (123     (str: the digits); RESP2 bulk
  };

  Reply() = default;  // a nil bulk

  static Reply Status(std::string s) { return Reply(Type::kStatus, std::move(s)); }
  static Reply Ok() { return Status("OK"); }
  static Reply Queued() { return Status("QUEUED"); }
  // `msg` is the full error text including its code, e.g. "ERR syntax error".
  static Reply Error(std::string msg) { return Reply(Type::kError, std::move(msg)); }
  static Reply Integer(int64_t v) {
    Reply r(Type::kInteger);
    r.integer_ = v;
    return r;
  }
  static Reply Bulk(std::string s) { return Reply(Type::kBulk, std::move(s)); }
  static Reply Bulk(std::string_view s) { return Reply(Type::kBulk, std::string(s)); }
  static Reply Bulk(const char* s) { return Reply(Type::kBulk, std::string(s)); }
  static Reply Nil() { return Reply(); }
  static Reply NilArray() { return Reply(Type::kNilArray); }
  static Reply Array(std::vector<Reply> elems = {}) {
    Reply r(Type::kArray);
    r.elems_ = std::move(elems);
    return r;
  }
  static Reply Double(double d) {
    Reply r(Type::kDouble);
    r.double_ = d;
    return r;
  }
  static Reply Bool(bool b) {
    Reply r(Type::kBool);
    r.integer_ = b ? 1 : 0;
    return r;
  }
  static Reply Map(std::vector<Reply> kvs) {
    Reply r(Type::kMap);
    r.elems_ = std::move(kvs);
    return r;
  }

  static Reply Set(std::vector<Reply> members) {
    Reply r(Type::kSet);
    r.elems_ = std::move(members);
    return r;
  }
  // A verbatim string (INFO, CLIENT INFO / LIST in RESP3): `format` is the
  // three-letter type Redis sends before the text ("txt", or "mkd").
  static Reply Verbatim(std::string_view text, std::string_view format = "txt") {
    std::string s(format.substr(0, 3));
    s.resize(3, ' ');
    s += ':';
    s += text;
    return Reply(Type::kVerbatim, std::move(s));
  }

  static Reply BigNumber(std::string digits) { return Reply(Type::kBigNumber, std::move(digits)); }

  Type type() const { return type_; }
  bool is_error() const { return type_ == Type::kError; }
  bool is_nil() const { return type_ == Type::kNil || type_ == Type::kNilArray; }
  bool is_status() const { return type_ == Type::kStatus; }
  bool is_ok() const { return type_ == Type::kStatus && str_ == "OK"; }

  // Text of a status, error, bulk or big number reply; a verbatim string's "fmt:text".
  const std::string& str() const { return str_; }
  // A verbatim string's text and format.
  std::string_view verbatim_text() const { return std::string_view(str_).substr(4); }
  std::string_view verbatim_format() const { return std::string_view(str_).substr(0, 3); }
  std::string& mutable_str() { return str_; }
  int64_t integer() const { return integer_; }
  double dbl() const { return double_; }
  const std::vector<Reply>& elems() const { return elems_; }
  std::vector<Reply>& mutable_elems() { return elems_; }

  // The error code: the first word of an error ("ERR", "WRONGTYPE", ...).
  std::string_view error_code() const;

  // redis-cli style rendering, for test messages and the demo.
  std::string ToString() const;

  friend bool operator==(const Reply& a, const Reply& b);
  friend bool operator!=(const Reply& a, const Reply& b) { return !(a == b); }

 private:
  explicit Reply(Type t) : type_(t) {}
  Reply(Type t, std::string s) : type_(t), str_(std::move(s)) {}

  Type type_ = Type::kNil;
  int64_t integer_ = 0;
  double double_ = 0;
  std::string str_;
  std::vector<Reply> elems_;
};

// Lets gtest print replies.
void PrintTo(const Reply& r, std::ostream* os);

}  // namespace txlab

#endif  // TXLAB_MODEL_REPLY_H_
