#include "model/model_program.h"

namespace txlab::program {

namespace {

std::string Quote(const std::string& a) {
  bool plain = !a.empty();
  for (char ch : a) {
    if (ch == ' ' || ch == '"' || ch == '\\' || ch == '\'' || static_cast<unsigned char>(ch) < 0x20) plain = false;
  }
  if (plain) return a;
  std::string out = "\"";
  for (char ch : a) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

std::string ToString(const Op& op) {
  if (const Step* s = std::get_if<Step>(&op)) {
    std::string out = "s" + std::to_string(s->session) + ":";
    for (const auto& a : s->argv) out += " " + Quote(a);
    return out;
  }
  if (const AdvanceClock* a = std::get_if<AdvanceClock>(&op)) return "clock +" + std::to_string(a->ms) + "ms";
  if (const Disconnect* d = std::get_if<Disconnect>(&op)) return "s" + std::to_string(d->session) + " disconnects";
  return "active-expire";
}

std::string ToString(const Program& p) {
  std::string out;
  for (size_t i = 0; i < p.size(); ++i) out += std::to_string(i) + ". " + ToString(p[i]) + "\n";
  return out;
}

}  // namespace txlab::program
