// History writers: EDN (one op map per line, as Jepsen's history.edn) and
// JSON (one object per line, as elle-cli reads it).
#include <ostream>
#include <string>

#include "model/history_io.h"

namespace txlab {

namespace {

std::string Text(const Edn& e, bool json) { return json ? e.ToJson() : e.ToEdn(); }

// Fields in Jepsen's customary order. :time is written only when set, and
// :error only on completions that carry one.
std::string OpText(const Op& op, bool json) {
  std::string s;
  auto key = [&](const char* k) {
    if (s.size() > 1) s += ", ";
    if (json) {
      s += '"';
      s += k;
      s += "\":";
    } else {
      s += ':';
      s += k;
      s += ' ';
    }
  };
  s += '{';
  key("type");
  s += Text(Edn::Kw(OpTypeName(op.type)), json);
  key("process");
  s += std::to_string(op.process);
  key("f");
  s += op.f.empty() ? Text(Edn(), json) : Text(Edn::Kw(op.f), json);
  key("value");
  s += Text(op.value, json);
  key("index");
  s += std::to_string(op.index);
  key("time");
  s += std::to_string(op.time_ns);
  if (!op.error.empty()) {
    key("error");
    s += Text(Edn::String(op.error), json);
  }
  s += '}';
  return s;
}

}  // namespace

void WriteEdnHistory(const History& h, std::ostream& out) {
  for (const Op& op : h) out << OpText(op, false) << '\n';
}

void WriteJsonHistory(const History& h, std::ostream& out) {
  for (const Op& op : h) out << OpText(op, true) << '\n';
}

}  // namespace txlab
