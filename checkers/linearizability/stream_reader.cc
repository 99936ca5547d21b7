// The streaming reader: a scanner for the op maps (syntax as in
// model/edn_reader.cc, restricted to what histories of the supported
// operations contain), then the pairing and validation of
// model/history_validate.cc and the per-op decisions of Compile
// (compile.cc), applied as each op arrives.
#include "checkers/linearizability/stream_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <unordered_map>

namespace txlab {
namespace lin {

namespace {

using namespace std::string_view_literals;
using ValKind = StreamedHistory::ValKind;

struct DelimiterTable {
  bool is[256] = {};
  constexpr DelimiterTable() {
    for (unsigned char c : std::string_view(" \t\n\r\f,[](){}\";")) is[c] = true;
  }
};
constexpr DelimiterTable kDelimiters;

inline bool IsDelimiter(char c) { return kDelimiters.is[static_cast<unsigned char>(c)]; }

// The op-map fields the checker reads.
enum Field { kType, kProcess, kF, kValue, kKey, kIndex, kTime, kFieldCount, kOtherField = kFieldCount };

Field FieldOf(std::string_view n) {
  switch (n.size()) {
    case 1: return n[0] == 'f' ? kF : kOtherField;
    case 3: return n == "key"sv ? kKey : kOtherField;
    case 4: return n == "type"sv ? kType : n == "time"sv ? kTime : kOtherField;
    case 5: return n == "value"sv ? kValue : n == "index"sv ? kIndex : kOtherField;
    case 7: return n == "process"sv ? kProcess : kOtherField;
  }
  return kOtherField;
}

// A decimal integer token (optional sign, optional N suffix); false if tok
// is not one. *overflow when it does not fit in 64 bits.
bool ParseInt(std::string_view tok, int64_t* out, bool* overflow) {
  const char c0 = tok[0];
  const bool sign = c0 == '-' || c0 == '+';
  size_t j = sign ? 1 : 0;
  if (j >= tok.size() || tok[j] < '0' || tok[j] > '9') return false;
  uint64_t v = 0;
  *overflow = false;
  for (; j < tok.size() && tok[j] >= '0' && tok[j] <= '9'; ++j) {
    uint64_t d = static_cast<uint64_t>(tok[j] - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) *overflow = true;
    v = v * 10 + d;
  }
  if (j != tok.size() && !(j + 1 == tok.size() && tok[j] == 'N')) return false;
  const bool neg = c0 == '-';
  if (v > (neg ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1)) *overflow = true;
  *out = neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

// A value of the op map being scanned, before it is stored (an op's map is
// stored only once it has been read whole and accepted).
struct SVal {
  enum Kind : uint8_t { kNil, kInt, kString, kKeyword, kBool, kVector } kind = kNil;
  uint8_t depth = 0;     // kVector: the pool holding its items
  int64_t i = 0;         // kInt; kBool: 0/1
  uint32_t off = 0, len = 0;  // kString/kKeyword: into text; kVector: into pool[depth]
};

enum class FCode : uint8_t { kRead, kWrite, kCas, kIncr, kAdd, kGet, kPut, kAppend, kTxn, kOther };

FCode FCodeOf(std::string_view f) {
  switch (f.size()) {
    case 3:
      if (f == "cas"sv) return FCode::kCas;
      if (f == "add"sv) return FCode::kAdd;
      if (f == "get"sv) return FCode::kGet;
      if (f == "put"sv) return FCode::kPut;
      if (f == "txn"sv) return FCode::kTxn;
      break;
    case 4:
      if (f == "read"sv) return FCode::kRead;
      if (f == "incr"sv) return FCode::kIncr;
      break;
    case 5:
      if (f == "write"sv) return FCode::kWrite;
      break;
    case 6:
      if (f == "append"sv) return FCode::kAppend;
      break;
  }
  return FCode::kOther;
}

enum class OpKind : uint8_t { kInvoke, kOk, kFail, kInfo };

const char* OpKindName(OpKind t) {
  switch (t) {
    case OpKind::kInvoke: return "invoke";
    case OpKind::kOk: return "ok";
    case OpKind::kFail: return "fail";
    case OpKind::kInfo: return "info";
  }
  return "?";
}

// Where a byte source's bytes come from: a file descriptor, or memory.
class Source {
 public:
  Source(int fd, std::string_view text) : fd_(fd), text_(text) {}
  // Reads up to n bytes into dst; 0 at the end, -1 on error.
  ssize_t Read(char* dst, size_t n) {
    if (fd_ < 0) {
      size_t k = std::min(n, text_.size());
      std::memcpy(dst, text_.data(), k);
      text_.remove_prefix(k);
      return static_cast<ssize_t>(k);
    }
    while (true) {
      ssize_t r = ::read(fd_, dst, n);
      if (r >= 0 || errno != EINTR) return r;
    }
  }

 private:
  int fd_;
  std::string_view text_;
};

class Reader {
 public:
  Reader(Source* src, size_t block, StreamedHistory* out) : src_(src), block_(block), h_(out) {}

  StreamStatus Run();

 private:
  // Scan results: a map was read, the input ended, more bytes are needed
  // (the map straddles the block end), or it cannot be read here.
  enum Scan { kMap, kEnd, kNeedMore, kUnsupported, kBad };

  struct Proc {
    bool open = false;
    FCode f = FCode::kOther;
    uint16_t fname = 0;      // into fnames_
    int open_line = 0;
    int retired_line = 0;    // 0: not retired
    uint32_t call = 0;
    int32_t key = -1;
    uint32_t slot = UINT32_MAX;  // the op in keys()[key].ops; UINT32_MAX for reads (filed at completion)
    int64_t time = 0;
    std::vector<StreamedTxnMop> pending;  // a transaction's micro-ops as invoked
  };

  bool Refill();
  Scan ScanMap();
  void ResetMap();
  bool ScanCanonical();
  Scan SkipSpace();
  Scan ScanValue(SVal* out, int depth);
  Scan ScanString(SVal* out);
  Scan ScanToken(std::string_view* tok);
  Scan SkipValue(int depth);
  Scan Fail(Scan s, std::string why) {
    if (why_.empty()) why_ = std::move(why);
    return s;
  }
  StreamStatus Status(StreamStatus::Kind k, int line, std::string why) {
    StreamStatus s;
    s.kind = k;
    s.line = line;
    s.reason = std::move(why);
    return s;
  }
  StreamStatus Unsupported(std::string why) { return Status(StreamStatus::Kind::kUnsupported, map_line_, std::move(why)); }
  StreamStatus Bad(std::string why) { return Status(StreamStatus::Kind::kBadInput, map_line_, std::move(why)); }

  StreamStatus Commit();
  // The [key value] pair of an op (the :key field, or a 2-vector :value).
  bool Pair(const SVal** key, const SVal** val) const;
  int32_t KeyOf(const SVal& k);
  // Stores a value of an op on key (top-level strings go with the key's).
  Val Store(const SVal& v, uint32_t key);
  void NoteAppendValue();
  // The micro-ops of a transaction's :value; false if it is not a vector of
  // [:r|:w|:append|:incr k v]. Reads are left out when indeterminate.
  bool TxnMops(bool indeterminate, std::vector<StreamedTxnMop>* out);
  // Files a transaction; false (and nothing filed) if it has no micro-ops.
  bool FileTxn(const std::vector<StreamedTxnMop>& mops, uint32_t call, uint32_t ret, bool indeterminate);

  Source* src_;
  size_t block_;
  StreamedHistory* h_;
  std::string buf_;
  const char* p_ = nullptr;  // scan position in buf_
  const char* e_ = nullptr;  // end of the bytes read
  bool eof_ = false;
  int line_ = 1;
  int map_line_ = 1;
  std::string why_;

  // The map being scanned.
  bool seen_[kFieldCount] = {};
  bool skip_op_ = false, odd_value_ = false;
  OpKind type_ = OpKind::kInvoke;
  int64_t process_ = 0;
  std::string f_;
  int64_t time_ = 0;
  SVal value_, key_;
  std::string text_;                 // decoded strings and keywords of this map
  std::vector<SVal> pool_[4];        // vector items, by depth

  // Across maps.
  uint32_t position_ = 0;
  // Processes: small non-negative ids (the norm) in a vector, others in a map.
  Proc& ProcOf(int64_t process) {
    if (process >= 0 && process < (int64_t{1} << 20)) {
      if (static_cast<size_t>(process) >= dense_procs_.size()) dense_procs_.resize(process + 1);
      return dense_procs_[process];
    }
    return procs_[process];
  }
  std::vector<Proc> dense_procs_;
  std::unordered_map<int64_t, Proc> procs_;
  std::vector<std::string> fnames_;
  bool kv_ = false, counter_ = false, cas_ = false, append_ = false, string_append_ = false;
  bool txn_ = false, single_ = false;  // transactions, single-key ops seen
  std::vector<StreamedTxnMop> txn_scratch_;
  std::vector<Val> elems_;  // scratch for Store
};

bool Reader::Refill() {
  if (eof_) return false;
  const size_t keep = static_cast<size_t>(e_ - p_);
  if (keep + block_ > buf_.size()) {
    // A map larger than the free space: grow (rare; at most the map's size).
    std::string bigger(std::max(buf_.size() * 2, keep + block_), '\0');
    std::memcpy(bigger.data(), p_, keep);
    buf_.swap(bigger);
  } else {
    std::memmove(buf_.data(), p_, keep);
  }
  char* base = buf_.data();
  size_t have = keep;
  while (have < keep + block_) {
    ssize_t r = src_->Read(base + have, keep + block_ - have);
    if (r < 0) {
      why_ = std::string("read failed: ") + std::strerror(errno);
      return false;
    }
    if (r == 0) {
      eof_ = true;
      break;
    }
    have += static_cast<size_t>(r);
  }
  p_ = base;
  e_ = base + have;
  return true;
}

Reader::Scan Reader::SkipSpace() {
  while (p_ < e_) {
    char c = *p_;
    if (c == '\n') {
      ++line_;
      ++p_;
    } else if (c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\f') {
      ++p_;
    } else if (c == ';') {
      while (p_ < e_ && *p_ != '\n') ++p_;
      if (p_ == e_ && !eof_) return kNeedMore;
    } else {
      return kMap;
    }
  }
  return eof_ ? kEnd : kNeedMore;
}

Reader::Scan Reader::ScanToken(std::string_view* tok) {
  const char* s = p_;
  while (p_ < e_ && !IsDelimiter(*p_)) ++p_;
  if (p_ == e_ && !eof_) return kNeedMore;
  *tok = std::string_view(s, static_cast<size_t>(p_ - s));
  return kMap;
}

Reader::Scan Reader::ScanString(SVal* out) {
  // REQUIRES: *p_ == '"'
  ++p_;
  out->kind = SVal::kString;
  out->off = static_cast<uint32_t>(text_.size());
  while (true) {
    const char* s = p_;
    while (p_ < e_ && *p_ != '"' && *p_ != '\\') {
      if (*p_ == '\n') ++line_;
      ++p_;
    }
    text_.append(s, static_cast<size_t>(p_ - s));
    if (p_ + 1 >= e_) {
      // The closing quote, or the escape's second byte, may be in the next block.
      if (!eof_) return kNeedMore;
      if (p_ == e_ || *p_ == '\\') return Fail(kBad, "unterminated string");
    }
    if (*p_ == '"') {
      ++p_;
      break;
    }
    char c = p_[1];
    p_ += 2;
    switch (c) {
      case '"': text_ += '"'; break;
      case '\\': text_ += '\\'; break;
      case '/': text_ += '/'; break;
      case 'n': text_ += '\n'; break;
      case 't': text_ += '\t'; break;
      case 'r': text_ += '\r'; break;
      case 'b': text_ += '\b'; break;
      case 'f': text_ += '\f'; break;
      default: return Fail(kUnsupported, "string escape \\" + std::string(1, c));
    }
  }
  out->len = static_cast<uint32_t>(text_.size() - out->off);
  return kMap;
}

Reader::Scan Reader::ScanValue(SVal* out, int depth) {
  if (Scan s = SkipSpace(); s != kMap) return s == kEnd ? Fail(kBad, "unexpected end of input, expected a value") : s;
  const char c = *p_;
  if (c == '"') return ScanString(out);
  if (c == '[') {
    if (depth >= 3) return Fail(kUnsupported, "values nested deeper than 3 vectors");
    ++p_;
    std::vector<SVal>& pool = pool_[depth];
    out->kind = SVal::kVector;
    out->depth = static_cast<uint8_t>(depth);
    out->off = static_cast<uint32_t>(pool.size());
    while (true) {
      if (Scan s = SkipSpace(); s != kMap) return s == kEnd ? Fail(kBad, "unterminated collection, expected ']'") : s;
      if (*p_ == ']') {
        ++p_;
        break;
      }
      SVal item;
      if (Scan s = ScanValue(&item, depth + 1); s != kMap) return s;
      pool.push_back(item);
    }
    out->len = static_cast<uint32_t>(pool.size() - out->off);
    return kMap;
  }
  if (c == ':') {
    ++p_;
    std::string_view tok;
    if (Scan s = ScanToken(&tok); s != kMap) return s;
    if (tok.empty()) return Fail(kBad, "empty keyword");
    out->kind = SVal::kKeyword;
    out->off = static_cast<uint32_t>(text_.size());
    out->len = static_cast<uint32_t>(tok.size());
    text_.append(tok);
    return kMap;
  }
  if (IsDelimiter(c) || c == '#' || c == '\\') return Fail(kUnsupported, std::string("value starting with '") + c + "'");
  std::string_view tok;
  if (Scan s = ScanToken(&tok); s != kMap) return s;
  const char c0 = tok[0];
  const bool sign = c0 == '-' || c0 == '+';
  if ((c0 >= '0' && c0 <= '9') || (sign && tok.size() > 1 && tok[1] >= '0' && tok[1] <= '9')) {
    bool overflow = false;
    if (!ParseInt(tok, &out->i, &overflow)) return Fail(kUnsupported, "non-integer number");
    if (overflow) return Fail(kBad, "integer out of range");
    out->kind = SVal::kInt;
    return kMap;
  }
  if (tok == "nil"sv) {
    out->kind = SVal::kNil;
  } else if (tok == "true"sv || tok == "false"sv) {
    out->kind = SVal::kBool;
    out->i = tok == "true"sv;
  } else {
    return Fail(kUnsupported, "symbol value");
  }
  return kMap;
}

// Skips one value of any shape (fields the checker does not need).
Reader::Scan Reader::SkipValue(int depth) {
  if (depth > 512) return Fail(kBad, "nesting deeper than 512 levels");
  if (Scan s = SkipSpace(); s != kMap) return s == kEnd ? Fail(kBad, "unexpected end of input, expected a value") : s;
  const char c = *p_;
  if (c == '"') {
    SVal ignored;
    const size_t mark = text_.size();
    Scan s = ScanString(&ignored);
    text_.resize(mark);
    return s;
  }
  if (c == '[' || c == '(' || c == '{' || (c == '#' && p_ + 1 < e_ && p_[1] == '{')) {
    const char close = c == '[' ? ']' : c == '(' ? ')' : '}';
    p_ += c == '#' ? 2 : 1;
    while (true) {
      if (Scan s = SkipSpace(); s != kMap) return s == kEnd ? Fail(kBad, "unterminated collection") : s;
      if (*p_ == close) {
        ++p_;
        return kMap;
      }
      if (*p_ == ']' || *p_ == ')' || *p_ == '}') return Fail(kBad, "unbalanced collection");
      if (Scan s = SkipValue(depth + 1); s != kMap) return s;
    }
  }
  if (c == ']' || c == ')' || c == '}') return Fail(kBad, std::string("unexpected '") + c + "'");
  if (c == '#' || c == '\\') {
    if (p_ + 1 >= e_ && !eof_) return kNeedMore;
    return Fail(kUnsupported, "tagged literal or character");
  }
  std::string_view tok;
  return ScanToken(&tok);
}

void Reader::ResetMap() {
  for (bool& b : seen_) b = false;
  skip_op_ = odd_value_ = false;
  process_ = 0;
  time_ = 0;
  f_.clear();
  text_.clear();
  for (auto& pool : pool_) pool.clear();
}

// The layout txlab and Jepsen write, in one pass:
//   {:type :ok, :process 3, :f :read, :value [1 2], :index 7, :time 12}
// with an optional ", :error ..." before the '}'. REQUIRES: the '{' was
// consumed. Returns false (state unspecified) on anything else, including
// the end of the bytes read; ScanMap then reads the map field by field.
bool Reader::ScanCanonical() {
  const char* p = p_;
  const char* const e = e_;
  auto lit = [&](std::string_view s) {
    if (static_cast<size_t>(e - p) < s.size() || std::memcmp(p, s.data(), s.size()) != 0) return false;
    p += s.size();
    return true;
  };
  auto word = [&](std::string_view* w) {
    const char* s = p;
    while (p < e && !IsDelimiter(*p)) ++p;
    if (p == e || p == s) return false;
    *w = std::string_view(s, static_cast<size_t>(p - s));
    return true;
  };
  auto integer = [&](int64_t* v) {
    std::string_view tok;
    bool overflow = false;
    return word(&tok) && ParseInt(tok, v, &overflow) && !overflow;
  };
  std::string_view t, f;
  if (!lit(":type :"sv) || !word(&t)) return false;
  if (t == "invoke"sv) type_ = OpKind::kInvoke;
  else if (t == "ok"sv) type_ = OpKind::kOk;
  else if (t == "fail"sv) type_ = OpKind::kFail;
  else if (t == "info"sv) type_ = OpKind::kInfo;
  else return false;
  if (!lit(", :process "sv) || !integer(&process_)) return false;
  if (!lit(", :f :"sv) || !word(&f)) return false;
  f_.assign(f);
  if (!lit(", :value "sv)) return false;
  p_ = p;
  if (ScanValue(&value_, 0) != kMap) return false;
  p = p_;
  int64_t index;
  if (!lit(", :index "sv) || !integer(&index)) return false;
  if (!lit(", :time "sv) || !integer(&time_)) return false;
  if (p < e && *p == ',') {
    if (!lit(", :error "sv)) return false;
    p_ = p;
    if (SkipValue(0) != kMap) return false;
    p = p_;
  }
  if (!lit("}"sv)) return false;
  seen_[kType] = seen_[kProcess] = seen_[kF] = seen_[kValue] = seen_[kIndex] = seen_[kTime] = true;
  p_ = p;
  return true;
}

// Scans one op map; fields the checker needs are kept in the scan state.
Reader::Scan Reader::ScanMap() {
  if (Scan s = SkipSpace(); s != kMap) return s;
  map_line_ = line_;
  if (*p_ != '{') {
    if (*p_ == '[') return Fail(kUnsupported, "a history vector");
    return Fail(kBad, "expected an op map {:type ..., :process ..., ...}");
  }
  ++p_;
  ResetMap();
  {
    const char* at = p_;
    const int at_line = line_;
    if (ScanCanonical()) return kMap;
    p_ = at;
    line_ = at_line;
    why_.clear();
    ResetMap();
  }
  while (true) {
    if (Scan s = SkipSpace(); s != kMap) return s == kEnd ? Fail(kBad, "unterminated map, expected '}'") : s;
    if (*p_ == '}') {
      ++p_;
      return kMap;
    }
    if (*p_ != ':') return Fail(kUnsupported, "a map key that is not a keyword");
    ++p_;
    std::string_view name;
    if (Scan s = ScanToken(&name); s != kMap) return s;
    const Field field = FieldOf(name);
    if (field != kOtherField && seen_[field]) return Fail(kUnsupported, "a repeated field");
    if (Scan s = SkipSpace(); s != kMap) return s == kEnd ? Fail(kBad, "unterminated map, expected '}'") : s;
    if (*p_ == '}') return Fail(kBad, "map has a key without a value");
    if (field == kOtherField) {
      if (Scan s = SkipValue(0); s != kMap) return s;
      continue;
    }
    seen_[field] = true;
    if (field == kValue || field == kKey) {
      const char* at = p_;
      const int at_line = line_;
      SVal* v = field == kValue ? &value_ : &key_;
      Scan s = ScanValue(v, 0);
      if (s == kUnsupported) {
        // Fine on an op that turns out to be skipped (a nemesis's map);
        // Commit refuses it on a client op.
        p_ = at;
        line_ = at_line;
        s = SkipValue(0);
        v->kind = SVal::kNil;
        odd_value_ = true;
      }
      if (s != kMap) return s;
      continue;
    }
    // :type, :process, :f, :index, :time: a keyword or an integer, almost always.
    std::string_view word;  // a keyword's name, or a string's text
    SVal v;
    const char c = *p_;
    if (c == ':' && (field == kType || field == kF || field == kProcess)) {
      ++p_;
      if (Scan s = ScanToken(&word); s != kMap) return s;
      if (word.empty()) return Fail(kBad, "empty keyword");
      v.kind = SVal::kKeyword;
    } else if ((c >= '0' && c <= '9') || c == '-') {
      std::string_view tok;
      if (Scan s = ScanToken(&tok); s != kMap) return s;
      bool overflow = false;
      if (!ParseInt(tok, &v.i, &overflow)) return Fail(kUnsupported, "a non-integer number");
      if (overflow) return Fail(kBad, "integer out of range");
      v.kind = SVal::kInt;
    } else {
      if (Scan s = ScanValue(&v, 3); s != kMap) return s;
      if (v.kind == SVal::kKeyword || v.kind == SVal::kString) word = std::string_view(text_).substr(v.off, v.len);
    }
    switch (field) {
      case kType:
        if (v.kind != SVal::kKeyword && v.kind != SVal::kString) return Fail(kBad, "unknown op type");
        if (word == "invoke"sv) type_ = OpKind::kInvoke;
        else if (word == "ok"sv) type_ = OpKind::kOk;
        else if (word == "fail"sv) type_ = OpKind::kFail;
        else if (word == "info"sv) type_ = OpKind::kInfo;
        else return Fail(kBad, "unknown op type");
        break;
      case kProcess:
        if (v.kind == SVal::kInt) process_ = v.i;
        else if (v.kind != SVal::kNil) skip_op_ = true;  // :nemesis and friends
        break;
      case kF:
        if (v.kind == SVal::kKeyword || v.kind == SVal::kString) f_.assign(word);
        else if (v.kind != SVal::kNil) return Fail(kBad, ":f must be a keyword or string");
        break;
      case kIndex:
        if (v.kind != SVal::kInt) return Fail(kBad, ":index must be an integer");
        break;
      default:  // kTime
        if (v.kind != SVal::kInt) return Fail(kUnsupported, "a :time that is not an integer");
        time_ = v.i;
        break;
    }
  }
}

bool Reader::Pair(const SVal** key, const SVal** val) const {
  static const SVal kNilVal;
  if (seen_[kKey]) {
    *key = &key_;
    *val = seen_[kValue] ? &value_ : &kNilVal;
    return true;
  }
  if (!seen_[kValue] || value_.kind != SVal::kVector || value_.len != 2) return false;
  *key = &pool_[0][value_.off];
  *val = &pool_[0][value_.off + 1];
  return true;
}

int32_t Reader::KeyOf(const SVal& k) {
  switch (k.kind) {
    case SVal::kInt: return static_cast<int32_t>(h_->IntKey(k.i));
    case SVal::kString:
      return static_cast<int32_t>(h_->TextKey(ValKind::kString, std::string_view(text_).substr(k.off, k.len)));
    case SVal::kKeyword:
      return static_cast<int32_t>(h_->TextKey(ValKind::kKeyword, std::string_view(text_).substr(k.off, k.len)));
    default: return -1;
  }
}

Val Reader::Store(const SVal& v, uint32_t key) {
  switch (v.kind) {
    case SVal::kNil: return kNil;
    case SVal::kInt: return h_->Int(v.i);
    case SVal::kString: return h_->KeyString(key, std::string_view(text_).substr(v.off, v.len));
    case SVal::kKeyword: return h_->Text(ValKind::kKeyword, std::string_view(text_).substr(v.off, v.len));
    case SVal::kBool: return h_->Text(ValKind::kBool, v.i ? "true"sv : "false"sv);
    case SVal::kVector: {
      const size_t mark = elems_.size();
      for (uint32_t i = 0; i < v.len; ++i) {
        const SVal& item = pool_[v.depth][v.off + i];
        Val e = item.kind == SVal::kString ? h_->Text(ValKind::kString, std::string_view(text_).substr(item.off, item.len))
                                           : Store(item, key);
        elems_.push_back(e);
      }
      Val r = h_->Vector(elems_.data() + mark, v.len);
      elems_.resize(mark);
      return r;
    }
  }
  return kNil;
}

// DetectModel's test for string appends (porcupine's kv): a string value,
// or a [k v] tuple with a string v, on any op of :f :append.
void Reader::NoteAppendValue() {
  if (!seen_[kValue] && !seen_[kKey]) return;
  const SVal* k;
  const SVal* v;
  if (Pair(&k, &v) && v->kind == SVal::kString) string_append_ = true;
  if (!seen_[kKey] && value_.kind == SVal::kString) string_append_ = true;
}

bool Reader::TxnMops(bool indeterminate, std::vector<StreamedTxnMop>* out) {
  out->clear();
  if (!seen_[kValue] || seen_[kKey] || value_.kind != SVal::kVector) return false;
  for (uint32_t i = 0; i < value_.len; ++i) {
    const SVal& m = pool_[value_.depth][value_.off + i];
    if (m.kind != SVal::kVector || m.len != 3) return false;
    const SVal& name = pool_[m.depth][m.off];
    const SVal& key = pool_[m.depth][m.off + 1];
    const SVal& x = pool_[m.depth][m.off + 2];
    if (name.kind != SVal::kKeyword && name.kind != SVal::kString) return false;
    const std::string_view n = std::string_view(text_).substr(name.off, name.len);
    StreamedTxnMop mop;
    if (n == "r"sv) mop.code = MopCode::kRead;
    else if (n == "w"sv) mop.code = MopCode::kWrite;
    else if (n == "append"sv) mop.code = MopCode::kAppendList;
    else if (n == "incr"sv) mop.code = MopCode::kIncr;
    else return false;
    const int32_t k = KeyOf(key);
    if (k < 0) return false;
    if (mop.code == MopCode::kRead && indeterminate) continue;  // no effect, no check
    mop.key = static_cast<uint32_t>(k);
    if (mop.code == MopCode::kIncr) {
      mop.checked = !indeterminate && x.kind == SVal::kInt;
      mop.x = mop.checked ? x.i : 0;
    } else {
      mop.x = Store(x, mop.key);
    }
    out->push_back(mop);
  }
  return true;
}

bool Reader::FileTxn(const std::vector<StreamedTxnMop>& mops, uint32_t call, uint32_t ret, bool indeterminate) {
  if (mops.empty()) return false;
  StreamedTxn t;
  t.call = call;
  t.ret = ret;
  t.first_mop = static_cast<uint32_t>(h_->txn_mops.size());
  t.mops = static_cast<uint32_t>(mops.size());
  t.indeterminate = indeterminate;
  h_->txns.push_back(t);
  h_->txn_mops.insert(h_->txn_mops.end(), mops.begin(), mops.end());
  return true;
}

StreamStatus Reader::Commit() {
  if (!seen_[kType]) return Bad("op has no :type");
  if (skip_op_) return StreamStatus{};
  if (odd_value_) return Unsupported("a :value or :key of a shape it does not read");
  if (position_ == UINT32_MAX - 1) return Unsupported("more than 4 billion ops");
  const uint32_t pos = position_++;
  const FCode f = FCodeOf(f_);
  if (f == FCode::kOther) return Unsupported("operation :" + std::string(f_));
  switch (f) {
    case FCode::kGet: case FCode::kPut: kv_ = true; break;
    case FCode::kIncr: case FCode::kAdd: counter_ = true; break;
    case FCode::kCas: cas_ = true; break;
    case FCode::kAppend: append_ = true; NoteAppendValue(); break;
    default: break;
  }
  if (f == FCode::kTxn) txn_ = true;
  else single_ = true;
  // In a transaction history single-key ops are unkeyed (Compile): not read here.
  if (txn_ && single_) return Unsupported("transactions mixed with single-key operations");
  Proc& p = ProcOf(process_);
  auto proc = [&] { return "process " + std::to_string(process_); };
  if (type_ == OpKind::kInvoke) {
    if (p.retired_line != 0) {
      return Bad(proc() + " invokes after :info retired it at line " + std::to_string(p.retired_line) +
                 " (an indeterminate op ends its process; use a fresh process id)");
    }
    if (p.open) {
      return Bad(proc() + " has two operations in flight: its :invoke at line " + std::to_string(p.open_line) +
                 " has no completion yet");
    }
    const SVal *key = nullptr, *val = nullptr;
    int32_t k = -1;
    if (f == FCode::kTxn) {
      if (!TxnMops(true, &p.pending)) return Unsupported("a :txn value that is not a vector of [:r|:w|:append|:incr k v]");
    } else {
      if (!Pair(&key, &val)) return Unsupported("an invocation without a [key value] tuple");
      k = KeyOf(*key);
      if (k < 0) return Unsupported("a key that is not an integer, string or keyword");
    }
    p.open = true;
    p.f = f;
    p.open_line = map_line_;
    p.call = pos;
    p.time = time_;
    p.key = k;
    p.slot = UINT32_MAX;
    uint16_t fname = 0;
    while (fname < fnames_.size() && fnames_[fname] != f_) ++fname;
    if (fname == fnames_.size()) fnames_.emplace_back(f_);
    p.fname = fname;
    if (f == FCode::kRead || f == FCode::kGet || f == FCode::kTxn) return StreamStatus{};  // filed when it completes
    StreamedOp op;
    op.call = pos;
    switch (f) {
      case FCode::kWrite:
      case FCode::kPut:
        op.code = MopCode::kWrite;
        op.x = Store(*val, k);
        break;
      case FCode::kCas:
        if (val->kind != SVal::kVector || val->len != 2) return Unsupported("a cas without [old new]");
        op.code = MopCode::kCas;
        op.x = Store(pool_[val->depth][val->off], k);
        op.y = Store(pool_[val->depth][val->off + 1], k);
        break;
      case FCode::kIncr:
        op.code = MopCode::kIncr;
        op.x = 1;
        break;
      case FCode::kAdd:
        if (val->kind != SVal::kInt) return Unsupported("an add without an integer delta");
        op.code = MopCode::kIncr;
        op.x = val->i;
        break;
      case FCode::kAppend:
        op.code = val->kind == SVal::kString ? MopCode::kAppendString : MopCode::kAppendList;
        op.x = Store(*val, k);
        break;
      default:
        break;
    }
    auto& ops = h_->keys()[k].ops;
    p.slot = static_cast<uint32_t>(ops.size());
    ops.push_back(op);
    return StreamStatus{};
  }
  // A completion.
  if (!p.open) {
    return Bad(std::string("completion :") + OpKindName(type_) + " by " + proc() + " without an invocation in flight");
  }
  const std::string& inv_f = fnames_[p.fname];
  if (!inv_f.empty() && !f_.empty() && f_ != inv_f) {
    return Bad("completion :f :" + std::string(f_) + " does not match its invocation's :f :" + inv_f + " at line " +
               std::to_string(p.open_line));
  }
  if (time_ < p.time) {
    return Bad("returns before its call: completion :time " + std::to_string(time_) + " < invocation :time " +
               std::to_string(p.time) + " at line " + std::to_string(p.open_line));
  }
  p.open = false;
  if (type_ == OpKind::kInfo) p.retired_line = map_line_;
  if (p.f == FCode::kTxn) {
    switch (type_) {
      case OpKind::kFail:
        ++h_->dropped_fail;
        break;
      case OpKind::kInfo:
        if (!FileTxn(p.pending, p.call, StreamedOp::kNoReturn, true)) ++h_->dropped_indeterminate_reads;
        break;
      default:
        if (!TxnMops(false, &txn_scratch_)) return Unsupported("a :txn completion that is not a vector of micro-ops");
        FileTxn(txn_scratch_, p.call, pos, false);
        break;
    }
    return StreamStatus{};
  }
  StreamedOp* op = p.slot == UINT32_MAX ? nullptr : &h_->keys()[p.key].ops[p.slot];
  switch (type_) {
    case OpKind::kFail:
      ++h_->dropped_fail;
      if (op) op->flags |= StreamedOp::kDropped;
      return StreamStatus{};
    case OpKind::kInfo:
      if (op) op->flags |= StreamedOp::kIndeterminate;
      else ++h_->dropped_indeterminate_reads;
      return StreamStatus{};
    default:
      break;
  }
  if (op) op->ret = pos;
  if (p.f == FCode::kRead || p.f == FCode::kGet) {
    const SVal *key, *val;
    if (!Pair(&key, &val)) return Unsupported("a read completion without a [key value] tuple");
    const int32_t k = KeyOf(*key);
    if (k < 0) return Unsupported("a key that is not an integer, string or keyword");
    StreamedOp r;
    r.call = p.call;
    r.ret = pos;
    r.code = p.f == FCode::kGet ? MopCode::kReadString : MopCode::kRead;
    r.x = Store(*val, k);
    h_->keys()[k].ops.push_back(r);
  } else if (p.f == FCode::kIncr) {
    const SVal *key, *val;
    if (!Pair(&key, &val)) return Unsupported("an incr completion without a [key value] tuple");
    if (val->kind == SVal::kInt) {
      op->y = val->i;
      op->flags |= StreamedOp::kCheckedB;
    }
  } else if (p.f == FCode::kCas) {
    op->flags |= StreamedOp::kCasOk;
  }
  return StreamStatus{};
}

StreamStatus Reader::Run() {
  buf_.assign(block_ * 2, '\0');
  p_ = e_ = buf_.data();
  if (!Refill() && !why_.empty()) return Status(StreamStatus::Kind::kUnsupported, 0, why_);
  while (true) {
    const char* start = p_;
    const int start_line = line_;
    why_.clear();
    Scan s = ScanMap();
    if (s == kNeedMore) {
      p_ = start;
      line_ = start_line;
      if (!Refill()) {
        if (!why_.empty()) return Status(StreamStatus::Kind::kUnsupported, 0, why_);
      }
      continue;
    }
    if (s == kEnd) break;
    if (s == kUnsupported) return Unsupported(why_);
    if (s == kBad) return Status(StreamStatus::Kind::kBadInput, line_, why_);
    StreamStatus c = Commit();
    if (!c.ok()) return c;
  }
  if (position_ == 0) return Status(StreamStatus::Kind::kUnsupported, 0, "no operations");
  // Ops still in flight never returned: indeterminate.
  auto finish = [&](const Proc& p) {
    if (!p.open) return;
    if (p.f == FCode::kTxn) {
      if (!FileTxn(p.pending, p.call, StreamedOp::kNoReturn, true)) ++h_->dropped_indeterminate_reads;
    } else if (p.slot != UINT32_MAX) h_->keys()[p.key].ops[p.slot].flags |= StreamedOp::kIndeterminate;
    else ++h_->dropped_indeterminate_reads;
  };
  for (const Proc& p : dense_procs_) finish(p);
  for (const auto& [process, p] : procs_) finish(p);
  // Key kinds as Compile assigns them: the last kind-setting op (by call) wins.
  for (StreamedHistory::Key& k : h_->keys()) {
    for (const StreamedOp& op : k.ops) {
      if (op.flags & StreamedOp::kDropped) continue;
      KeyKind kind;
      if (op.code == MopCode::kAppendList) kind = KeyKind::kList;
      else if (op.code == MopCode::kRead && h_->IsVector(op.x)) kind = KeyKind::kList;
      else if (op.code == MopCode::kAppendString || op.code == MopCode::kReadString) kind = KeyKind::kString;
      else continue;
      if (static_cast<int64_t>(op.call) > k.kind_call) {
        k.kind_call = op.call;
        k.kind = kind;
      }
    }
  }
  h_->model = txn_ ? "txn" : kv_ || string_append_ ? "kv" : counter_ ? "counter" : append_ ? "list-append" : cas_ ? "cas-register" : "register";
  return StreamStatus{};
}

}  // namespace

StreamStatus StreamHistoryFile(const std::string& path, StreamedHistory* out, size_t block_bytes) {
  *out = StreamedHistory();
  const bool log = path.size() > 4 && path.compare(path.size() - 4, 4, ".log") == 0;
  if (log) return StreamStatus{StreamStatus::Kind::kUnsupported, 0, "a Jepsen log"};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return StreamStatus{StreamStatus::Kind::kUnsupported, 0, "cannot open " + path};
  Source src(fd, {});
  Reader r(&src, block_bytes, out);
  StreamStatus s = r.Run();
  ::close(fd);
  return s;
}

StreamStatus StreamHistoryText(std::string_view text, StreamedHistory* out) {
  *out = StreamedHistory();
  Source src(-1, text);
  Reader r(&src, 4096, out);
  return r.Run();
}

}  // namespace lin
}  // namespace txlab
