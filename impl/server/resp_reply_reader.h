// ReplyReader: the client side of RESP. Turns the bytes a server sends back
// into Reply values, for RESP2 and RESP3 alike (the type byte says which).
//
// Mapping of RESP3-only types onto Reply (which has no set, push, verbatim,
// big-number or attribute types):
//   _  -> kNil             ,  -> kDouble         #  -> kBool
//   %  -> kMap             ~ and > -> kArray     =  -> kBulk without "txt:"
//   (  -> kBulk (digits)   !  -> kError          |  attributes are skipped
// RESP2 "$-1" is kNil and "*-1" kNilArray.
//
// Malformed input (unknown type byte, bad length, nesting deeper than 512)
// is a hard error: the stream cannot be resynchronised.
//
// Cost: a reply split over several Feed calls is parsed again from its first
// byte when the rest arrives, which is fine for test and tool traffic.
//
// THREAD SAFETY: none; one reader per connection.
#ifndef TXLAB_IMPL_SERVER_RESP_REPLY_READER_H_
#define TXLAB_IMPL_SERVER_RESP_REPLY_READER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "model/reply.h"

namespace txlab {

class ReplyReader {
 public:
  enum class Status { kNeedMore, kReply, kError };

  void Feed(std::string_view bytes);

  // The next complete reply into *out. After kError, always kError.
  Status Next(Reply* out);

  // Why the stream was rejected (after kError).
  const std::string& error() const { return error_; }

  size_t buffered() const { return buf_.size() - pos_; }

 private:
  enum class Step { kOk, kNeedMore, kError };
  Step Parse(size_t* pos, int depth, Reply* out);
  Step ReadLine(size_t* pos, std::string_view* line);

  std::string buf_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_SERVER_RESP_REPLY_READER_H_
