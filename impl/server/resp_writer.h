// RESP encoders: replies for the server, requests for clients.
//
// AppendReply writes a Reply as redis-server 7.0 would for a client speaking
// RESP2 (the default) or RESP3 (after HELLO 3):
//
//   Reply type   RESP2                       RESP3
//   kStatus      +OK                         same
//   kError       -ERR msg                    same
//   kInteger     :42                         same
//   kBulk        $3 foo                      same
//   kNil         $-1                         _
//   kNilArray    *-1                         _
//   kArray       *N ...                      same
//   kDouble      $len %.17g (bulk string)    ,%.17g  (inf/-inf/nan spelled so)
//   kBool        :1 / :0                     #t / #f
//   kMap         *2N k1 v1 ... (flat)        %N k1 v1 ...
//
// Status and error texts must not contain CR or LF; any that do are replaced
// by spaces here (as Redis's addReplyErrorFormat does), so the stream stays
// well-formed whatever a command or script returns.
#ifndef TXLAB_IMPL_SERVER_RESP_WRITER_H_
#define TXLAB_IMPL_SERVER_RESP_WRITER_H_

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "model/reply.h"

namespace txlab {

// The two protocol versions a connection can speak.
inline constexpr int kResp2 = 2;
inline constexpr int kResp3 = 3;

// Appends the encoding of `r` for protocol `resp` (kResp2 or kResp3) to *out.
void AppendReply(const Reply& r, int resp, std::string* out);
std::string EncodeReply(const Reply& r, int resp);

// Appends one command as a multibulk request: "*N\r\n$len\r\narg\r\n..."
// (what a client sends).
void AppendCommand(std::span<const std::string_view> argv, std::string* out);
std::string EncodeCommand(std::initializer_list<std::string_view> argv);

// The text Redis sends for a double: "%.17g", with "inf", "-inf" and "nan".
std::string FormatRespDouble(double d);

}  // namespace txlab

#endif  // TXLAB_IMPL_SERVER_RESP_WRITER_H_
