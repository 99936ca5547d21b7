// History readers: EDN, JSON, Jepsen log lines, and format detection.
//
// Every reader turns its input into ops and then runs the same structural
// validation with the source line of each op, so that "a process with two
// operations in flight" points at the offending line of the file.
#include "model/history_io.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "model/edn_reader.h"
#include "model/history_validate.h"

namespace txlab {

std::string ParseError::ToString() const {
  if (ok) return "ok";
  if (line > 0) return "line " + std::to_string(line) + ": " + reason;
  return reason;
}

ParseError ParseEdn(std::string_view text, Edn* out) {
  EdnReader r(text, false);
  if (r.AtEnd()) return ParseError{false, r.line(), "empty input, expected a value"};
  ParseError e = r.Next(out);
  if (!e.ok) return e;
  if (!r.AtEnd()) return ParseError{false, r.line(), "trailing data after the value"};
  return e;
}

namespace {

ParseError Error(int line, std::string reason) { return ParseError{false, line, std::move(reason)}; }

bool ParseType(const Edn& v, OpType* t) {
  const std::string* s = v.is_keyword() ? &v.as_keyword() : v.is_string() ? &v.as_string() : nullptr;
  if (s == nullptr) return false;
  if (*s == "invoke") *t = OpType::kInvoke;
  else if (*s == "ok") *t = OpType::kOk;
  else if (*s == "fail") *t = OpType::kFail;
  else if (*s == "info") *t = OpType::kInfo;
  else return false;
  return true;
}

// What OpFromMap made of one map.
enum class MapResult { kOp, kSkip, kError };

// Converts one Jepsen op map. Ops whose :process is not an integer
// (:nemesis) are not client operations and are skipped. A :key field
// (porcupine's kv logs) is folded into :value as jepsen.independent's
// [key value] tuple, since an Op has no key of its own.
MapResult OpFromMap(const Edn& m, int64_t position, Op* op, std::string* why) {
  if (!m.is_map()) {
    *why = "expected an op map {:type ..., :process ..., ...}";
    return MapResult::kError;
  }
  const Edn* type = m.Get("type");
  if (type == nullptr) {
    *why = "op has no :type";
    return MapResult::kError;
  }
  if (!ParseType(*type, &op->type)) {
    *why = "unknown op type " + type->ToEdn() + " (expected :invoke, :ok, :fail or :info)";
    return MapResult::kError;
  }
  const Edn* process = m.Get("process");
  if (process != nullptr && !process->is_nil()) {
    if (!process->is_int()) return MapResult::kSkip;  // :nemesis and friends
    op->process = process->as_int();
  } else {
    op->process = 0;  // Elle's hand-written examples omit it; they are sequential
  }
  if (const Edn* f = m.Get("f")) {
    if (f->is_keyword()) op->f = f->as_keyword();
    else if (f->is_string()) op->f = f->as_string();
    else if (!f->is_nil()) {
      *why = ":f must be a keyword or string, got " + f->ToEdn();
      return MapResult::kError;
    }
  }
  const Edn* value = m.Get("value");
  if (const Edn* key = m.Get("key")) {
    op->value = Edn::Vec({*key, value ? *value : Edn()});
  } else if (value != nullptr) {
    op->value = *value;
  }
  op->index = position;
  if (const Edn* index = m.Get("index")) {
    if (!index->is_int()) {
      *why = ":index must be an integer, got " + index->ToEdn();
      return MapResult::kError;
    }
    op->index = index->as_int();
  }
  if (const Edn* time = m.Get("time")) {
    if (time->is_int()) op->time_ns = time->as_int();
    else if (time->is_double()) op->time_ns = static_cast<int64_t>(time->as_double());
    else {
      *why = ":time must be a number, got " + time->ToEdn();
      return MapResult::kError;
    }
  }
  if (const Edn* error = m.Get("error")) {
    if (error->is_string()) op->error = error->as_string();
    else if (error->is_keyword()) op->error = error->as_keyword();  // :timed-out -> "timed-out"
    else if (!error->is_nil()) op->error = error->ToEdn();
  }
  return MapResult::kOp;
}

// elle-cli's JSON spells keywords as strings; turn the micro-op names of a
// transaction back into keywords ([["append","x",1]] -> [[:append "x" 1]])
// so JSON and EDN histories of the same run compare equal.
void KeywordizeTxn(Op* op) {
  if (op->f != "txn" || !op->value.is_vector()) return;
  for (Edn& mop : op->value.as_vector()) {
    if (mop.is_vector() && !mop.as_vector().empty() && mop.as_vector()[0].is_string()) {
      Edn& name = mop.as_vector()[0];
      name = Edn::Kw(name.as_string());
    }
  }
}

ParseError ReadMaps(std::string_view text, bool json, History* out) {
  out->clear();
  History h;
  std::vector<int> lines;
  // One op per line is the norm: size the vectors once.
  const size_t estimate = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  h.reserve(estimate);
  lines.reserve(estimate);
  EdnReader r(text, json);
  // One top-level vector of ops is accepted as well as one op per line.
  bool wrapped = r.Consume('[');
  while (true) {
    if (wrapped) {
      if (r.Consume(']')) {
        if (!r.AtEnd()) return Error(r.line(), "trailing data after the history vector");
        break;
      }
      if (r.AtEnd()) return Error(r.line(), "unterminated history vector, expected ']'");
    } else if (r.AtEnd()) {
      break;
    }
    Edn m;
    ParseError e = r.Next(&m);
    if (!e.ok) return e;
    Op op;
    std::string why;
    switch (OpFromMap(m, static_cast<int64_t>(h.size()), &op, &why)) {
      case MapResult::kError: return Error(r.value_line(), why);
      case MapResult::kSkip: continue;
      case MapResult::kOp: break;
    }
    if (json) KeywordizeTxn(&op);
    h.push_back(std::move(op));
    lines.push_back(r.value_line());
  }
  ParseError v = ValidateOps(h, &lines);
  if (!v.ok) return v;
  *out = std::move(h);
  return ParseError{};
}

std::string_view NextToken(std::string_view* s) {
  size_t i = 0;
  while (i < s->size() && ((*s)[i] == ' ' || (*s)[i] == '\t')) ++i;
  size_t j = i;
  while (j < s->size() && (*s)[j] != ' ' && (*s)[j] != '\t') ++j;
  std::string_view tok = s->substr(i, j - i);
  *s = s->substr(j);
  return tok;
}

}  // namespace

ParseError ReadEdnHistory(std::string_view text, History* out) { return ReadMaps(text, false, out); }

ParseError ReadJsonHistory(std::string_view text, History* out) { return ReadMaps(text, true, out); }

ParseError ReadJepsenLog(std::string_view text, History* out) {
  out->clear();
  History h;
  std::vector<int> lines;
  int line = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view l = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
    // "INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]"; older logs use spaces.
    size_t dash = l.find(" - ");
    if (dash == std::string_view::npos) return Error(line, "expected 'LEVEL logger - process type f value'");
    std::string_view rest = l.substr(dash + 3);
    std::string_view proc = NextToken(&rest), type = NextToken(&rest), f = NextToken(&rest);
    if (proc.empty() || type.empty() || f.empty()) return Error(line, "expected 'process :type :f value' after ' - '");
    Op op;
    op.index = static_cast<int64_t>(h.size());
    op.time_ns = op.index;  // the log has no clock; its order is real-time order
    char* end = nullptr;
    std::string ps(proc);
    long long p = std::strtoll(ps.c_str(), &end, 10);
    if (end != ps.c_str() + ps.size()) {
      if (ps == ":nemesis" || ps == "nemesis") continue;
      return Error(line, "process must be an integer, got '" + ps + "'");
    }
    op.process = p;
    Edn t;
    if (type[0] != ':' || !ParseType(Edn::Kw(std::string(type.substr(1))), &op.type)) {
      return Error(line, "unknown op type " + std::string(type) + " (expected :invoke, :ok, :fail or :info)");
    }
    op.f = std::string(f[0] == ':' ? f.substr(1) : f);
    size_t vstart = rest.find_first_not_of(" \t");
    if (vstart != std::string_view::npos) {
      ParseError e = ParseEdn(rest.substr(vstart), &op.value);
      if (!e.ok) return Error(line, "bad value: " + e.reason);
    }
    // Jepsen puts the reason of a crash where the value would be (:timed-out).
    if ((op.type == OpType::kInfo || op.type == OpType::kFail) && op.value.is_keyword()) {
      op.error = op.value.as_keyword();
      op.value = Edn();
    }
    h.push_back(std::move(op));
    lines.push_back(line);
  }
  ParseError v = ValidateOps(h, &lines);
  if (!v.ok) return v;
  *out = std::move(h);
  return ParseError{};
}

ParseError ReadHistoryFile(const std::string& path, History* out) {
  out->clear();
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Error(0, "cannot open " + path + ": " + std::strerror(errno));
  // One read of the whole file: histories run to hundreds of megabytes.
  std::string text(static_cast<size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (!in) return Error(0, "cannot read " + path);
  // By content first: the first significant character decides.
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
      ++i;
    } else if (c == ';') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else {
      break;
    }
  }
  if (i == text.size()) return Error(0, path + " holds no operations");
  auto ends_with = [&](const char* ext) {
    size_t n = std::strlen(ext);
    return path.size() >= n && path.compare(path.size() - n, n, ext) == 0;
  };
  if (text.compare(i, 5, "INFO ") == 0 || text.compare(i, 5, "WARN ") == 0 || ends_with(".log")) {
    return ReadJepsenLog(text, out);
  }
  // JSON objects start with a string key; EDN maps with a keyword.
  size_t j = i;
  if (text[j] == '[') {
    ++j;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\n' || text[j] == '\r' || text[j] == '\t')) ++j;
  }
  if (j < text.size() && text[j] == '{') {
    ++j;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\n' || text[j] == '\r' || text[j] == '\t')) ++j;
    if (j < text.size() && text[j] == '"') return ReadJsonHistory(text, out);
    if (j < text.size() && text[j] == ':') return ReadEdnHistory(text, out);
  }
  if (ends_with(".json")) return ReadJsonHistory(text, out);
  return ReadEdnHistory(text, out);
}

}  // namespace txlab
