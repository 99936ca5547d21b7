// A hand-written recursive-descent reader: histories of a million operations
// must parse in seconds, so it works on the raw bytes, builds each Edn in
// place and allocates only for strings and collections.
#include "model/edn_reader.h"

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <string>

namespace txlab {

namespace {

constexpr int kMaxDepth = 512;  // deeper nesting is not a history: refuse, don't overflow the stack

bool IsDelimiter(char c) {
  switch (c) {
    case ' ': case '\t': case '\n': case '\r': case '\f': case ',':
    case '[': case ']': case '(': case ')': case '{': case '}': case '"': case ';':
      return true;
    default:
      return false;
  }
}

std::string Printable(char c) {
  if (c >= 0x21 && c < 0x7f) return std::string("'") + c + "'";
  char buf[16];
  std::snprintf(buf, sizeof(buf), "byte 0x%02x", static_cast<unsigned char>(c));
  return buf;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

}  // namespace

bool EdnReader::Fail(std::string reason) {
  if (error_.ok) {
    error_.ok = false;
    error_.line = line_;
    error_.reason = std::move(reason);
  }
  return false;
}

void EdnReader::SkipSpace() {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '\n') {
      ++line_;
      ++pos_;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == ',' || c == '\f') {
      ++pos_;
    } else if (c == ';') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    } else {
      return;
    }
  }
}

bool EdnReader::AtEnd() {
  SkipSpace();
  return pos_ >= text_.size();
}

bool EdnReader::Consume(char c) {
  SkipSpace();
  if (pos_ < text_.size() && text_[pos_] == c) {
    ++pos_;
    return true;
  }
  return false;
}

ParseError EdnReader::Next(Edn* out) {
  error_ = ParseError{};
  SkipSpace();
  value_line_ = line_;
  if (pos_ >= text_.size()) {
    Fail("unexpected end of input, expected a value");
  } else {
    ParseValue(out, 0);
  }
  return error_;
}

bool EdnReader::ParseString(std::string* out) {
  // REQUIRES: text_[pos_] == '"'
  ++pos_;
  const int start_line = line_;
  while (true) {
    // Copy runs of plain bytes at once.
    size_t run = pos_;
    while (run < text_.size() && text_[run] != '"' && text_[run] != '\\') {
      if (text_[run] == '\n') ++line_;
      ++run;
    }
    out->append(text_.data() + pos_, run - pos_);
    pos_ = run;
    if (pos_ >= text_.size()) {
      line_ = start_line;
      return Fail("unterminated string");
    }
    if (text_[pos_] == '"') {
      ++pos_;
      return true;
    }
    // Escape.
    if (pos_ + 1 >= text_.size()) return Fail("unterminated string escape");
    char e = text_[pos_ + 1];
    pos_ += 2;
    switch (e) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'n': out->push_back('\n'); break;
      case 't': out->push_back('\t'); break;
      case 'r': out->push_back('\r'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'u': {
        auto hex4 = [&](uint32_t* cp) {
          if (pos_ + 4 > text_.size()) return false;
          uint32_t v = 0;
          for (int i = 0; i < 4; ++i) {
            char h = text_[pos_ + i];
            v <<= 4;
            if (h >= '0' && h <= '9') v |= h - '0';
            else if (h >= 'a' && h <= 'f') v |= h - 'a' + 10;
            else if (h >= 'A' && h <= 'F') v |= h - 'A' + 10;
            else return false;
          }
          pos_ += 4;
          *cp = v;
          return true;
        };
        uint32_t cp;
        if (!hex4(&cp)) return Fail("bad \\u escape in string");
        // A UTF-16 surrogate pair (JSON's way of spelling non-BMP characters).
        if (cp >= 0xd800 && cp < 0xdc00 && pos_ + 6 <= text_.size() && text_[pos_] == '\\' &&
            text_[pos_ + 1] == 'u') {
          size_t save = pos_;
          pos_ += 2;
          uint32_t lo;
          if (hex4(&lo) && lo >= 0xdc00 && lo < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          } else {
            pos_ = save;
          }
        }
        AppendUtf8(cp, out);
        break;
      }
      default:
        return Fail(std::string("unknown string escape \\") + e);
    }
  }
}

bool EdnReader::ParseNumberOrSymbol(Edn* out) {
  size_t end = pos_;
  while (end < text_.size() && !IsDelimiter(text_[end])) ++end;
  std::string_view tok = text_.substr(pos_, end - pos_);
  pos_ = end;
  char c0 = tok[0];
  bool numeric = (c0 >= '0' && c0 <= '9') ||
                 ((c0 == '-' || c0 == '+') && tok.size() > 1 && tok[1] >= '0' && tok[1] <= '9');
  if (numeric) {
    // Integer fast path: the overwhelming majority of history numbers.
    size_t i = (c0 == '-' || c0 == '+') ? 1 : 0;
    bool neg = c0 == '-';
    uint64_t v = 0;
    bool overflow = false;
    size_t j = i;
    for (; j < tok.size() && tok[j] >= '0' && tok[j] <= '9'; ++j) {
      uint64_t d = tok[j] - '0';
      if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) overflow = true;
      v = v * 10 + d;
    }
    if (j == tok.size() || (j + 1 == tok.size() && tok[j] == 'N')) {
      uint64_t limit = neg ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
      if (overflow || v > limit) return Fail("integer out of range: " + std::string(tok));
      *out = Edn::Int(neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v));
      return true;
    }
    std::string s(tok);
    if (!s.empty() && s.back() == 'M') s.pop_back();
    char* endp = nullptr;
    errno = 0;
    double d = std::strtod(s.c_str(), &endp);
    if (endp != s.c_str() + s.size() || s.empty()) return Fail("malformed number: " + std::string(tok));
    *out = Edn::Double(d);
    return true;
  }
  if (tok == "nil" || tok == "null") {
    *out = Edn::Nil();
  } else if (tok == "true") {
    *out = Edn::Bool(true);
  } else if (tok == "false") {
    *out = Edn::Bool(false);
  } else if (json_) {
    return Fail("unexpected token in JSON: " + std::string(tok));
  } else {
    // Symbols have no place in histories beyond nil/true/false; keep the
    // text rather than reject the file.
    *out = Edn::String(std::string(tok));
  }
  return true;
}

bool EdnReader::ParseCollection(char close, bool is_map, Edn* out, int depth) {
  // REQUIRES: the opening bracket has been consumed.
  const int open_line = line_;
  Edn::Vector items;
  Edn::Map entries;
  if (is_map) entries.reserve(8);  // a Jepsen op map has 4-7 fields
  while (true) {
    SkipSpace();
    if (pos_ >= text_.size()) {
      line_ = open_line;
      return Fail(std::string("unterminated ") + (is_map ? "map" : "collection") + ", expected '" + close + "'");
    }
    if (text_[pos_] == close) {
      ++pos_;
      break;
    }
    Edn v;
    if (!ParseValue(&v, depth + 1)) return false;
    if (is_map) {
      SkipSpace();
      if (json_) {
        if (pos_ >= text_.size() || text_[pos_] != ':') return Fail("expected ':' after object key");
        ++pos_;
        SkipSpace();
      }
      if (pos_ >= text_.size()) {
        line_ = open_line;
        return Fail("unterminated map, expected '}'");
      }
      if (text_[pos_] == close) return Fail("map has a key without a value");
      Edn val;
      if (!ParseValue(&val, depth + 1)) return false;
      entries.emplace_back(std::move(v), std::move(val));
    } else {
      items.push_back(std::move(v));
    }
  }
  *out = is_map ? Edn::MapOf(std::move(entries)) : Edn::Vec(std::move(items));
  return true;
}

bool EdnReader::ParseValue(Edn* out, int depth) {
  if (depth > kMaxDepth) return Fail("nesting deeper than 512 levels");
  SkipSpace();
  if (pos_ >= text_.size()) return Fail("unexpected end of input, expected a value");
  char c = text_[pos_];
  switch (c) {
    case '{': ++pos_; return ParseCollection('}', true, out, depth);
    case '[': ++pos_; return ParseCollection(']', false, out, depth);
    case '(':
      if (json_) break;
      ++pos_;
      return ParseCollection(')', false, out, depth);
    case '"': {
      std::string s;
      if (!ParseString(&s)) return false;
      *out = Edn::String(std::move(s));
      return true;
    }
    case ':': {
      if (json_) break;
      size_t end = pos_ + 1;
      while (end < text_.size() && !IsDelimiter(text_[end])) ++end;
      if (end == pos_ + 1) return Fail("empty keyword");
      *out = Edn::Kw(std::string(text_.substr(pos_ + 1, end - pos_ - 1)));
      pos_ = end;
      return true;
    }
    case '#': {
      if (json_) break;
      if (pos_ + 1 >= text_.size()) return Fail("unexpected end of input after '#'");
      char n = text_[pos_ + 1];
      if (n == '{') {  // set: read as a vector
        pos_ += 2;
        return ParseCollection('}', false, out, depth);
      }
      if (n == '_') {  // discard the next value, then read the one after
        pos_ += 2;
        Edn ignored;
        if (!ParseValue(&ignored, depth + 1)) return false;
        return ParseValue(out, depth);
      }
      if (n == '#') {  // ##Inf ##-Inf ##NaN
        size_t end = pos_ + 2;
        while (end < text_.size() && !IsDelimiter(text_[end])) ++end;
        std::string_view t = text_.substr(pos_ + 2, end - pos_ - 2);
        pos_ = end;
        if (t == "Inf") *out = Edn::Double(std::numeric_limits<double>::infinity());
        else if (t == "-Inf") *out = Edn::Double(-std::numeric_limits<double>::infinity());
        else if (t == "NaN") *out = Edn::Double(std::numeric_limits<double>::quiet_NaN());
        else return Fail("unknown symbolic value ##" + std::string(t));
        return true;
      }
      // Tagged literal (#inst "...", #jepsen.foo{...}): keep the value, drop the tag.
      size_t end = pos_ + 1;
      while (end < text_.size() && !IsDelimiter(text_[end])) ++end;
      pos_ = end;
      return ParseValue(out, depth + 1);
    }
    case '\\': {
      if (json_) break;
      // Character literal: \a, \newline, \space, \tab, \uXXXX.
      size_t end = pos_ + 2;
      while (end < text_.size() && !IsDelimiter(text_[end])) ++end;
      if (pos_ + 1 >= text_.size()) return Fail("unexpected end of input after '\\'");
      std::string_view t = text_.substr(pos_ + 1, end - pos_ - 1);
      pos_ = end;
      if (t == "newline") *out = Edn::String("\n");
      else if (t == "space") *out = Edn::String(" ");
      else if (t == "tab") *out = Edn::String("\t");
      else if (t == "return") *out = Edn::String("\r");
      else *out = Edn::String(std::string(t));
      return true;
    }
    case ']': case ')': case '}':
      return Fail("unexpected " + Printable(c));
    default:
      break;
  }
  if (json_ && (c == '(' || c == ':' || c == '#' || c == '\\')) return Fail("unexpected " + Printable(c) + " in JSON");
  if (static_cast<unsigned char>(c) < 0x20) return Fail("unexpected " + Printable(c));
  return ParseNumberOrSymbol(out);
}

}  // namespace txlab
