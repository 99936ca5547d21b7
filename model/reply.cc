#include "model/reply.h"

#include <cstdio>
#include <ostream>

namespace txlab {

std::string_view Reply::error_code() const {
  if (type_ != Type::kError) return {};
  std::string_view s = str_;
  auto sp = s.find(' ');
  return sp == std::string_view::npos ? s : s.substr(0, sp);
}

namespace {

void Render(const Reply& r, std::string& out, int indent) {
  switch (r.type()) {
    case Reply::Type::kStatus: out += r.str(); break;
    case Reply::Type::kError: out += "(error) " + r.str(); break;
    case Reply::Type::kInteger: out += "(integer) " + std::to_string(r.integer()); break;
    case Reply::Type::kBulk: out += "\"" + r.str() + "\""; break;
    case Reply::Type::kVerbatim: out += "\"" + std::string(r.verbatim_text()) + "\""; break;
    case Reply::Type::kBigNumber: out += "(big number) " + r.str(); break;
    case Reply::Type::kNil:
    case Reply::Type::kNilArray: out += "(nil)"; break;
    case Reply::Type::kDouble: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "(double) %.17g", r.dbl());
      out += buf;
      break;
    }
    case Reply::Type::kBool: out += r.integer() ? "(true)" : "(false)"; break;
    case Reply::Type::kArray:
    case Reply::Type::kMap:
    case Reply::Type::kSet: {
      if (r.elems().empty()) {
        out += "(empty array)";
        break;
      }
      out += "[";
      for (size_t i = 0; i < r.elems().size(); ++i) {
        if (i) out += ", ";
        Render(r.elems()[i], out, indent + 1);
      }
      out += "]";
      break;
    }
  }
}

}  // namespace

std::string Reply::ToString() const {
  std::string out;
  Render(*this, out, 0);
  return out;
}

bool operator==(const Reply& a, const Reply& b) {
  if (a.type_ != b.type_) return false;
  switch (a.type_) {
    case Reply::Type::kStatus:
    case Reply::Type::kError:
    case Reply::Type::kBulk:
    case Reply::Type::kVerbatim:
    case Reply::Type::kBigNumber: return a.str_ == b.str_;
    case Reply::Type::kInteger:
    case Reply::Type::kBool: return a.integer_ == b.integer_;
    case Reply::Type::kDouble: return a.double_ == b.double_;
    case Reply::Type::kNil:
    case Reply::Type::kNilArray: return true;
    case Reply::Type::kArray:
    case Reply::Type::kMap:
    case Reply::Type::kSet: return a.elems_ == b.elems_;
  }
  return false;
}

void PrintTo(const Reply& r, std::ostream* os) { *os << r.ToString(); }

}  // namespace txlab
