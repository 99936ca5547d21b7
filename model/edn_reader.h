// EdnReader: reads a sequence of EDN (or JSON) values from one text,
// tracking line numbers so that history readers can report where input
// went wrong. ParseEdn (model/history_io.h) is the one-value front end.
//
// EDN accepted: nil true false, integers (optional N suffix), doubles
// (optional M suffix, ##Inf ##-Inf ##NaN), strings with \" \\ \n \t \r \b \f
// \/ \uXXXX escapes, keywords (:a, :ns/a), symbols (read as strings), maps,
// vectors, lists and sets (both read as vectors), characters (read as
// one-character strings), tagged literals #tag v (tag dropped), #_ discard,
// ; comments; commas are whitespace.
// JSON mode additionally expects ':' between an object key and its value and
// reads null as nil.
//
// Not thread-safe; the text must outlive the reader.
#ifndef TXLAB_MODEL_EDN_READER_H_
#define TXLAB_MODEL_EDN_READER_H_

#include <string_view>

#include "model/edn.h"
#include "model/history_io.h"

namespace txlab {

class EdnReader {
 public:
  EdnReader(std::string_view text, bool json) : text_(text), json_(json) {}

  // Skips whitespace and comments; true when nothing but those remains.
  bool AtEnd();
  // Reads the next value. REQUIRES: !AtEnd(). On error, the position is
  // unspecified and the reader should be abandoned.
  ParseError Next(Edn* out);
  // Skips whitespace; consumes c and returns true if it comes next.
  bool Consume(char c);
  // 1-based line of the current position (after AtEnd/Next).
  int line() const { return line_; }
  // Line on which the most recent Next() value started.
  int value_line() const { return value_line_; }
  // Current byte offset.
  size_t pos() const { return pos_; }

 private:
  bool ParseValue(Edn* out, int depth);
  bool ParseString(std::string* out);
  bool ParseNumberOrSymbol(Edn* out);
  bool ParseCollection(char close, bool is_map, Edn* out, int depth);
  void SkipSpace();
  bool Fail(std::string reason);

  std::string_view text_;
  bool json_;
  size_t pos_ = 0;
  int line_ = 1;
  int value_line_ = 1;
  ParseError error_;
};

}  // namespace txlab

#endif  // TXLAB_MODEL_EDN_READER_H_
