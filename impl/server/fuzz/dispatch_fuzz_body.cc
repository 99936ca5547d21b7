#include "impl/server/fuzz/dispatch_fuzz_body.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "impl/engine/clock.h"
#include "impl/engine/command.h"
#include "impl/engine/engine.h"
#include "impl/server/resp_parser.h"
#include "impl/server/resp_reply_reader.h"
#include "impl/server/resp_writer.h"

namespace txlab {
namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "dispatch fuzz property violated: %s\n", what);
    std::abort();
  }
}

bool Excluded(const CommandSpec& c) {
  if (c.Has(kCmdBlocking)) return true;
  for (std::string_view p : {"eval", "fcall", "function", "script"}) {
    if (std::string_view(c.name).substr(0, p.size()) == p) return true;
  }
  return false;
}

// The dispatchable commands, in name order (deterministic).
const std::vector<const CommandSpec*>& Dispatchable() {
  static const std::vector<const CommandSpec*> list = [] {
    std::vector<const CommandSpec*> v;
    for (const auto& [name, spec] : CommandTable::Get().all()) {
      if (!Excluded(spec)) v.push_back(&spec);
    }
    std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->name < b->name; });
    return v;
  }();
  return list;
}

// Small bounds keep one input's work small: a fuzzer would otherwise find
// LPUSH of millions of elements by repetition.
RespLimits FuzzLimits() {
  RespLimits l;
  l.max_bulk_len = 512;
  l.max_multibulk_len = 64;
  l.max_inline_len = 512;
  return l;
}

void CheckWellFormed(const Reply& r) {
  for (int resp : {2, 3}) {
    std::string bytes;
    AppendReply(r, resp, &bytes);
    ReplyReader reader;
    reader.Feed(bytes);
    Reply back;
    Require(reader.Next(&back) == ReplyReader::Status::kReply, "reply does not read back");
    Require(reader.Next(&back) == ReplyReader::Status::kNeedMore, "reply reads back as more than one");
    std::string again;
    AppendReply(back, resp, &again);
    Require(again == bytes, "reply re-encodes differently");
  }
}

}  // namespace

void FuzzDispatchInput(const uint8_t* data, size_t size) {
  // One engine for the process (creating the Lua state per input would
  // dominate); every input starts from an empty keyspace on a frozen clock.
  static VirtualClock clock;
  static Engine* engine = [] {
    EngineOptions o;
    o.clock = &clock;
    o.active_expire = false;
    return new Engine(o);
  }();
  const auto& commands = Dispatchable();
  {
    std::unique_ptr<Session> s = engine->Connect();
    RequestParser parser(FuzzLimits());
    parser.Feed(std::string_view(reinterpret_cast<const char*>(data), size));
    std::vector<std::string> argv;
    for (int n = 0; n < 64 && parser.Next(&argv) == RequestParser::Status::kCommand; ++n) {
      const CommandSpec* c = argv[0].size() > 1 ? CommandTable::Get().Find(argv[0]) : nullptr;
      if (c == nullptr || Excluded(*c)) {
        c = commands[static_cast<unsigned char>(argv[0].empty() ? 0 : argv[0][0]) % commands.size()];
        argv[0] = c->name;
      }
      CheckWellFormed(s->Call(argv));
    }
    s->Call({"RESET"});  // out of MULTI, so the FLUSHALL runs now
    s->Call({"FLUSHALL"});
  }  // the session's disconnect discards its MULTI and WATCHes (T10)
  std::unique_ptr<Session> check = engine->Connect();
  Reply pong = check->Call({"PING"});
  Require(pong.type() == Reply::Type::kStatus && pong.str() == "PONG", "engine stopped serving");
}

}  // namespace txlab
