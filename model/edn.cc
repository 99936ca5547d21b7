// Edn printing and lookup. Parsing lives in model/edn_parser.cc.
#include "model/edn.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace txlab {

const Edn* Edn::Get(std::string_view keyword) const {
  if (!is_map()) return nullptr;
  for (const auto& [k, v] : as_map()) {
    // Keyword keys are the Jepsen norm; string keys come from JSON.
    if ((k.is_keyword() && k.as_keyword() == keyword) || (k.is_string() && k.as_string() == keyword)) {
      return &v;
    }
  }
  return nullptr;
}

namespace {

void AppendQuoted(const std::string& s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void AppendDouble(double d, bool json, std::string* out) {
  if (!std::isfinite(d)) {
    // Neither format has a portable spelling for these; JSON has none at all.
    out->append(json ? "null" : (std::isnan(d) ? "##NaN" : (d > 0 ? "##Inf" : "##-Inf")));
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", d);
  std::string s(buf);
  // Keep it a double when read back: 3 would become an integer.
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  out->append(s);
}

void Print(const Edn& e, bool json, std::string* out) {
  if (e.is_nil()) {
    out->append(json ? "null" : "nil");
  } else if (e.is_bool()) {
    out->append(e.as_bool() ? "true" : "false");
  } else if (e.is_int()) {
    char buf[24];
    std::snprintf(buf, sizeof(buf), "%" PRId64, e.as_int());
    out->append(buf);
  } else if (e.is_double()) {
    AppendDouble(e.as_double(), json, out);
  } else if (e.is_string()) {
    AppendQuoted(e.as_string(), out);
  } else if (e.is_keyword()) {
    if (json) {
      AppendQuoted(e.as_keyword(), out);
    } else {
      out->push_back(':');
      out->append(e.as_keyword());
    }
  } else if (e.is_vector()) {
    out->push_back('[');
    bool first = true;
    for (const Edn& x : e.as_vector()) {
      if (!first) out->append(json ? "," : " ");
      first = false;
      Print(x, json, out);
    }
    out->push_back(']');
  } else {
    out->push_back('{');
    bool first = true;
    for (const auto& [k, v] : e.as_map()) {
      if (!first) out->append(", ");
      first = false;
      if (json && !k.is_string() && !k.is_keyword()) {
        // JSON object keys must be strings: print the key's EDN text.
        std::string ks;
        Print(k, false, &ks);
        AppendQuoted(ks, out);
      } else {
        Print(k, json, out);
      }
      out->append(json ? ":" : " ");
      Print(v, json, out);
    }
    out->push_back('}');
  }
}

}  // namespace

std::string Edn::ToEdn() const {
  std::string s;
  Print(*this, false, &s);
  return s;
}

std::string Edn::ToJson() const {
  std::string s;
  Print(*this, true, &s);
  return s;
}

}  // namespace txlab
