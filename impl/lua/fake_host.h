// FakeHost: a map-backed ScriptHost for LuaScripting's unit tests.
//
// Commands: GET SET DEL INCR EXISTS LPUSH PING (as Redis for the cases tests
// use), MULTI EXEC WATCH EVAL BLPOP (noscript), and STOPFLAG, which returns
// the value of an atomic the test thread may set while a script runs (the
// only thing safe to touch concurrently).
#ifndef TXLAB_IMPL_LUA_FAKE_HOST_H_
#define TXLAB_IMPL_LUA_FAKE_HOST_H_

#include <strings.h>

#include <atomic>
#include <deque>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "impl/lua/script_host.h"

namespace txlab {

class FakeHost : public ScriptHost {
 public:
  using Value = std::variant<std::string, std::deque<std::string>>;

  ScriptCommandCheck Check(std::span<const std::string_view> argv) override {
    const Spec* spec = Find(argv[0]);
    if (spec == nullptr) return ScriptCommandCheck::kUnknown;
    int argc = static_cast<int>(argv.size());
    if ((spec->arity > 0 && argc != spec->arity) || argc < -spec->arity) return ScriptCommandCheck::kWrongArity;
    if (spec->noscript) return ScriptCommandCheck::kNoScript;
    return spec->write ? ScriptCommandCheck::kWrite : ScriptCommandCheck::kRead;
  }

  Reply Execute(std::span<const std::string_view> argv) override {
    ++executed;
    std::string cmd = Lower(argv[0]);
    if (cmd == "ping") return Reply::Status("PONG");
    if (cmd == "stopflag") return Reply::Integer(stop_flag.load());
    if (cmd == "get") {
      auto it = data.find(std::string(argv[1]));
      if (it == data.end()) return Reply::Nil();
      if (!std::holds_alternative<std::string>(it->second)) return WrongType();
      return Reply::Bulk(std::get<std::string>(it->second));
    }
    if (cmd == "set") {
      if (argv.size() > 3) return Reply::Error("ERR syntax error");
      data[std::string(argv[1])] = std::string(argv[2]);
      return Reply::Ok();
    }
    if (cmd == "del") {
      int64_t n = 0;
      for (size_t i = 1; i < argv.size(); ++i) n += static_cast<int64_t>(data.erase(std::string(argv[i])));
      return Reply::Integer(n);
    }
    if (cmd == "exists") {
      int64_t n = 0;
      for (size_t i = 1; i < argv.size(); ++i) n += static_cast<int64_t>(data.count(std::string(argv[i])));
      return Reply::Integer(n);
    }
    if (cmd == "incr") {
      auto& v = data[std::string(argv[1])];
      if (!std::holds_alternative<std::string>(v)) return WrongType();
      std::string& s = std::get<std::string>(v);
      long long n = 0;
      if (!s.empty()) {
        char* end = nullptr;
        n = std::strtoll(s.c_str(), &end, 10);
        if (*end != '\0') return Reply::Error("ERR value is not an integer or out of range");
      }
      s = std::to_string(++n);
      return Reply::Integer(n);
    }
    if (cmd == "lpush") {
      auto it = data.find(std::string(argv[1]));
      if (it == data.end()) it = data.emplace(std::string(argv[1]), std::deque<std::string>{}).first;
      if (!std::holds_alternative<std::deque<std::string>>(it->second)) return WrongType();
      auto& list = std::get<std::deque<std::string>>(it->second);
      for (size_t i = 2; i < argv.size(); ++i) list.emplace_front(argv[i]);
      return Reply::Integer(static_cast<int64_t>(list.size()));
    }
    if (cmd == "hgetall") {  // a RESP3 map reply
      return Reply::Map({Reply::Bulk("f"), Reply::Bulk("v")});
    }
    return Reply::Error("ERR unexpected command");
  }

  void Log(int level, std::string_view message) override { logs.emplace_back(message); }

  std::map<std::string, Value> data;
  std::vector<std::string> logs;
  int executed = 0;
  std::atomic<int> stop_flag{0};

 private:
  struct Spec {
    const char* name;
    int arity;
    bool write;
    bool noscript;
  };

  static std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }

  static const Spec* Find(std::string_view name) {
    static const Spec kSpecs[] = {
        {"get", 2, false, false},     {"set", -3, true, false},     {"del", -2, true, false},
        {"incr", 2, true, false},     {"exists", -2, false, false}, {"lpush", -3, true, false},
        {"ping", -1, false, false},   {"stopflag", 1, false, false}, {"hgetall", 2, false, false},
        {"multi", 1, false, true},    {"exec", 1, false, true},     {"watch", -2, false, true},
        {"eval", -3, false, true},    {"blpop", -3, true, true},
    };
    for (const Spec& s : kSpecs) {
      if (name.size() == std::string_view(s.name).size() && strncasecmp(name.data(), s.name, name.size()) == 0) {
        return &s;
      }
    }
    return nullptr;
  }

  static Reply WrongType() {
    return Reply::Error("WRONGTYPE Operation against a key holding the wrong kind of value");
  }
};

}  // namespace txlab

#endif  // TXLAB_IMPL_LUA_FAKE_HOST_H_
