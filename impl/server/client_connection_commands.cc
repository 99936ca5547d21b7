// Connection-level commands: the ones redis-server answers from the client
// structure rather than the keyspace (HELLO AUTH QUIT CLIENT CONFIG INFO
// COMMAND SHUTDOWN, and the connection half of RESET), plus the NOAUTH gate.
// Error texts are Redis 7.0.15's (checked with redis-server, see
// server_test.cc).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "impl/engine/command.h"
#include "impl/engine/parse.h"
#include "impl/server/client_connection.h"
#include "impl/server/resp_parser.h"
#include "impl/server/resp_writer.h"

namespace txlab {

namespace {

// The Redis version txlab speaks (HELLO, INFO): clients use it to pick
// features, and txlab follows 7.0's semantics.
constexpr std::string_view kRedisVersion = "7.0.15";

using Argv = std::vector<std::string>;

// The connection-level command table: name and Redis arity.
struct ConnCommand {
  std::string_view name;
  int arity;
  Reply (ClientConnection::*handler)(const Argv&);
  bool no_auth;  // allowed before AUTH (Redis's CMD_NO_AUTH)
};

bool ArityOk(int arity, size_t argc) {
  return arity >= 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
}

Reply Err(std::string msg) { return Reply::Error(std::move(msg)); }

// Redis's client name rule (clientSetName): printable ASCII without spaces.
bool ValidClientName(std::string_view name) {
  return std::all_of(name.begin(), name.end(), [](char c) { return c >= '!' && c <= '~'; });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A key/value list as RESP3 map or RESP2 flat array: Reply::Map encodes both.
Reply PairsReply(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::vector<Reply> elems;
  for (const auto& [k, v] : kv) {
    elems.push_back(Reply::Bulk(k));
    elems.push_back(Reply::Bulk(v));
  }
  return Reply::Map(std::move(elems));
}

}  // namespace

// ---- dispatch ------------------------------------------------------------

void ClientConnection::Execute(const CommandSpec* spec, std::vector<std::string>& argv) {
  shared_->total_commands.fetch_add(1, std::memory_order_relaxed);
  const std::string& name = argv[0];
  // The common case, an engine command from an authenticated client, goes
  // straight to the Session: no connection-level command shares a name with
  // an engine command, so ExecuteHere would only pass it on.
  bool engine_command = spec != nullptr && authenticated_;
  // securityWarningCommand: an HTTP request sent to a Redis port (a browser
  // tricked into cross-protocol scripting) closes the connection silently.
  if (!engine_command && (EqualsIgnoreCase(name, "post") || EqualsIgnoreCase(name, "host:"))) {
    close_now_ = true;
    return;
  }
  Reply reply;
  // Inside MULTI the engine queues (connection commands too, through
  // QueueHere); only QUIT acts at once (T1).
  if (!engine_command && !(session_->in_multi() && !EqualsIgnoreCase(name, "quit")) && ExecuteHere(argv, &reply)) {
    AppendReply(reply);
    return;
  }
  if (!engine_command && session_->in_multi() && QueueHere(argv, &reply)) {
    AppendReply(reply);
    return;
  }
  reply = spec != nullptr ? session_->Call(*spec, argv) : session_->Call(argv);
  if (!queued_here_.empty()) FinishQueuedHere(&reply);
  if (spec != nullptr && spec->name == "reset" && reply.is_status() && reply.str() == "RESET") AfterReset();
  bool in_multi = session_->in_multi();
  if (in_multi != in_multi_.load(std::memory_order_relaxed)) in_multi_.store(in_multi, std::memory_order_relaxed);
  AppendReply(reply);
}

bool ClientConnection::ExecuteHere(const Argv& argv, Reply* reply) {
  static constexpr ConnCommand kCommands[] = {
      {"hello", -1, &ClientConnection::Hello, true},
      {"auth", -2, &ClientConnection::Auth, true},
      {"client", -2, &ClientConnection::Client, false},
      {"config", -2, &ClientConnection::Config, false},
      {"info", -1, &ClientConnection::Info, false},
      {"command", -1, &ClientConnection::CommandCmd, false},
      {"shutdown", -1, &ClientConnection::Shutdown, false},
  };
  const std::string& name = argv[0];
  const ConnCommand* cmd = nullptr;
  for (const ConnCommand& c : kCommands) {
    if (EqualsIgnoreCase(name, c.name)) cmd = &c;
  }
  bool is_quit = EqualsIgnoreCase(name, "quit");
  if (is_quit) {
    // QUIT: +OK, then close (any arguments are ignored, as in Redis 7.0).
    *reply = Reply::Ok();
    close_after_reply_ = true;
    return true;
  }
  if (cmd != nullptr && !ArityOk(cmd->arity, argv.size())) {
    *reply = Err("ERR wrong number of arguments for '" + Lower(cmd->name) + "' command");
    return true;
  }
  if (!authenticated_) {
    // processCommand's order: unknown command and arity errors come before
    // NOAUTH; RESET may run unauthenticated (it is the engine's).
    if (cmd != nullptr) {
      if (!cmd->no_auth) {
        *reply = Err("NOAUTH Authentication required.");
        return true;
      }
    } else {
      const CommandSpec* spec = CommandTable::Get().Find(name);
      if (spec == nullptr || !spec->ArityOk(argv.size()) || spec->name == "reset") return false;
      *reply = Err("NOAUTH Authentication required.");
      return true;
    }
  }
  if (cmd == nullptr) return false;
  *reply = (this->*(cmd->handler))(argv);
  return true;
}

void ClientConnection::SetAuthenticated(bool v) {
  authenticated_ = v;
  parser_.set_auth_required(!v);
}

bool ClientConnection::CheckPassword(std::string_view user, std::string_view password) const {
  if (user != "default") return false;  // usernames are case-sensitive
  std::string required = shared_->RequirePass();
  // With no requirepass the default user is "nopass": any password works.
  return required.empty() || password == required;
}

void ClientConnection::AfterReset() {
  resp_.store(2, std::memory_order_relaxed);
  session_->set_resp(2);
  SetAuthenticated(shared_->RequirePass().empty());
  std::lock_guard<std::mutex> l(info_mu_);
  name_.clear();
}

// ---- HELLO, AUTH ---------------------------------------------------------

Reply ClientConnection::Hello(const Argv& argv) {
  int64_t ver = 0;
  size_t next = 1;
  if (argv.size() >= 2) {
    if (!RedisStringToInt64(argv[next++], &ver)) return Err("ERR Protocol version is not an integer or out of range");
    if (ver < 2 || ver > 3) return Err("NOPROTO unsupported protocol version");
  }
  std::string new_name;
  bool set_name = false;
  for (size_t j = next; j < argv.size(); ++j) {
    size_t more = argv.size() - 1 - j;
    if (EqualsIgnoreCase(argv[j], "auth") && more >= 2) {
      if (!CheckPassword(argv[j + 1], argv[j + 2])) {
        return Err("WRONGPASS invalid username-password pair or user is disabled.");
      }
      SetAuthenticated(true);
      j += 2;
    } else if (EqualsIgnoreCase(argv[j], "setname") && more >= 1) {
      if (!ValidClientName(argv[j + 1])) {
        return Err("ERR Client names cannot contain spaces, newlines or special characters.");
      }
      new_name = argv[j + 1];
      set_name = true;
      ++j;
    } else {
      return Err("ERR Syntax error in HELLO option '" + argv[j] + "'");
    }
  }
  if (!authenticated_) {
    return Err(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH "
        "<user> <pass> option can be used to authenticate the client and select the RESP protocol "
        "version at the same time");
  }
  if (set_name) {
    std::lock_guard<std::mutex> l(info_mu_);
    name_ = new_name;
  }
  // The reply already uses the new protocol.
  if (ver != 0) {
    resp_.store(static_cast<int>(ver), std::memory_order_relaxed);
    session_->set_resp(static_cast<int>(ver));  // RESP3 reply shapes (scores, WITHSCORES)
  }
  return Reply::Map({Reply::Bulk("server"), Reply::Bulk("redis"), Reply::Bulk("version"), Reply::Bulk(kRedisVersion),
                     Reply::Bulk("proto"), Reply::Integer(resp_.load(std::memory_order_relaxed)), Reply::Bulk("id"),
                     Reply::Integer(id_), Reply::Bulk("mode"), Reply::Bulk("standalone"), Reply::Bulk("role"),
                     Reply::Bulk("master"), Reply::Bulk("modules"), Reply::Array()});
}

Reply ClientConnection::Auth(const Argv& argv) {
  if (argv.size() > 3) return Err("ERR syntax error");
  std::string_view user = "default";
  std::string_view password = argv[1];
  if (argv.size() == 2) {
    if (shared_->RequirePass().empty()) {
      return Err(
          "ERR AUTH <password> called without any password configured for the default user. Are you sure "
          "your configuration is correct?");
    }
  } else {
    user = argv[1];
    password = argv[2];
  }
  if (!CheckPassword(user, password)) return Err("WRONGPASS invalid username-password pair or user is disabled.");
  SetAuthenticated(true);
  return Reply::Ok();
}

// ---- CLIENT --------------------------------------------------------------

Reply ClientConnection::Client(const Argv& argv) {
  std::string sub = Lower(argv[1]);
  auto arity = [&](size_t n) { return argv.size() == n; };
  auto arity_error = [&] { return Err("ERR wrong number of arguments for 'client|" + sub + "' command"); };
  if (sub == "id") {
    if (!arity(2)) return arity_error();
    return Reply::Integer(id_);
  }
  if (sub == "getname") {
    if (!arity(2)) return arity_error();
    std::lock_guard<std::mutex> l(info_mu_);
    return name_.empty() ? Reply::Nil() : Reply::Bulk(name_);
  }
  if (sub == "setname") {
    if (!arity(3)) return arity_error();
    if (!ValidClientName(argv[2])) {
      return Err("ERR Client names cannot contain spaces, newlines or special characters.");
    }
    std::lock_guard<std::mutex> l(info_mu_);
    name_ = argv[2];
    return Reply::Ok();
  }
  if (sub == "info") {
    if (!arity(2)) return arity_error();
    return TextReply(InfoLine() + "\n");
  }
  if (sub == "list") {
    // Snapshot the registry, then ask each connection (they lock themselves).
    std::vector<std::shared_ptr<ClientConnection>> conns;
    {
      std::lock_guard<std::mutex> l(shared_->conns_mu);
      for (auto& [ptr, weak] : shared_->conns) {
        if (auto c = weak.lock()) conns.push_back(std::move(c));
      }
    }
    std::sort(conns.begin(), conns.end(), [](const auto& a, const auto& b) { return a->id() < b->id(); });
    std::string out;
    for (const auto& c : conns) out += (c.get() == this ? InfoLine() : c->InfoLine()) + "\n";
    return TextReply(out);
  }
  if (sub == "help") {
    std::vector<Reply> lines;
    for (const char* l : {"CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", "GETNAME",
                          "    Return the name of the current connection.", "ID",
                          "    Return the ID of the current connection.", "INFO",
                          "    Return information about the current client connection.", "LIST",
                          "    Return information about client connections.", "SETNAME <name>",
                          "    Assign the name <name> to the current connection.", "HELP",
                          "    Print this help."}) {
      lines.push_back(Reply::Status(l));
    }
    return Reply::Array(std::move(lines));
  }
  return Err("ERR unknown subcommand '" + argv[1] + "'. Try CLIENT HELP.");
}

// ---- CONFIG --------------------------------------------------------------

Reply ClientConnection::Config(const Argv& argv) {
  std::string sub = Lower(argv[1]);
  const ServerOptions& o = shared_->options;
  // Every parameter CONFIG GET knows, with its current value.
  const int64_t busy_ms = shared_->busy_reply_threshold_ms.load(std::memory_order_relaxed);
  std::vector<std::pair<std::string, std::string>> params = {
      {"requirepass", shared_->RequirePass()},
      {"busy-reply-threshold", std::to_string(busy_ms)},
      {"lua-time-limit", std::to_string(busy_ms)},
      {"bind", o.bind},
      {"port", std::to_string(shared_->port)},
      {"save", ""},
      {"appendonly", "no"},
      {"databases", "16"},
      {"maxmemory", "0"},
      {"timeout", "0"},
      {"proto-max-bulk-len", std::to_string(o.limits.max_bulk_len)},
      {"io-threads", std::to_string(o.threads)},
  };
  if (sub == "get") {
    if (argv.size() < 3) return Err("ERR wrong number of arguments for 'config|get' command");
    std::vector<std::pair<std::string, std::string>> matched;
    for (const auto& [k, v] : params) {
      for (size_t i = 2; i < argv.size(); ++i) {
        if (GlobMatch(argv[i], k, /*nocase=*/true)) {
          matched.emplace_back(k, v);
          break;
        }
      }
    }
    return PairsReply(matched);
  }
  if (sub == "set") {
    if (argv.size() < 4 || argv.size() % 2 != 0) {
      return Err("ERR wrong number of arguments for 'config|set' command");
    }
    // Validate everything first: CONFIG SET of several parameters is
    // all-or-nothing in Redis 7.
    std::string new_pass;
    bool set_pass = false;
    int64_t new_busy = 0;
    bool set_busy = false;
    for (size_t i = 2; i < argv.size(); i += 2) {
      std::string p = Lower(argv[i]);
      if (p == "requirepass") {
        new_pass = argv[i + 1];
        set_pass = true;
      } else if (p == "busy-reply-threshold" || p == "lua-time-limit") {
        int64_t v;
        if (!RedisStringToInt64(argv[i + 1], &v)) {
          return Err("ERR CONFIG SET failed (possibly related to argument '" + argv[i] +
                     "') - argument couldn't be parsed into an integer");
        }
        if (v < 0) {
          return Err("ERR CONFIG SET failed (possibly related to argument '" + argv[i] +
                     "') - argument must be between 0 and 9223372036854775807 inclusive");
        }
        new_busy = v;
        set_busy = true;
      } else if (p == "save" || p == "appendonly" || p == "timeout" || p == "maxmemory") {
        // Accepted and ignored: txlab keeps no files and evicts nothing.
      } else {
        bool known = std::any_of(params.begin(), params.end(), [&](const auto& kv) { return kv.first == p; });
        if (known) {
          return Err("ERR CONFIG SET failed (possibly related to argument '" + argv[i] +
                     "') - can't set immutable config");
        }
        return Err("ERR Unknown option or number of arguments for CONFIG SET - '" + argv[i] + "'");
      }
    }
    if (set_pass) shared_->SetRequirePass(new_pass);
    if (set_busy) {
      shared_->busy_reply_threshold_ms.store(new_busy, std::memory_order_relaxed);
      shared_->engine->SetBusyReplyThresholdMs(new_busy);
    }
    return Reply::Ok();
  }
  if (sub == "resetstat") {
    if (argv.size() != 2) return Err("ERR wrong number of arguments for 'config|resetstat' command");
    shared_->total_commands.store(0, std::memory_order_relaxed);
    shared_->total_connections.store(0, std::memory_order_relaxed);
    shared_->rejected_protocol.store(0, std::memory_order_relaxed);
    return Reply::Ok();
  }
  return Err("ERR unknown subcommand '" + argv[1] + "'. Try CONFIG HELP.");
}

// ---- INFO ----------------------------------------------------------------

Reply ClientConnection::Info(const Argv& argv) {
  std::string section = argv.size() >= 2 ? Lower(argv[1]) : "default";
  auto want = [&](std::string_view s) {
    return section == "default" || section == "all" || section == "everything" || section == s;
  };
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                 shared_->start_time)
                    .count();
  std::string out;
  if (want("server")) {
    out += "# Server\r\nredis_version:" + std::string(kRedisVersion) +
           "\r\ntxlab_server:1\r\nredis_mode:standalone\r\nmultiplexing_api:asio\r\nprocess_id:" +
           std::to_string(::getpid()) + "\r\ntcp_port:" + std::to_string(shared_->port) +
           "\r\nuptime_in_seconds:" + std::to_string(uptime) + "\r\nexecutor_threads:" +
           std::to_string(shared_->options.threads) + "\r\n";
  }
  if (want("clients")) {
    if (!out.empty()) out += "\r\n";
    out += "# Clients\r\nconnected_clients:" +
           std::to_string(shared_->connected_clients.load(std::memory_order_relaxed)) + "\r\n";
  }
  if (want("stats")) {
    if (!out.empty()) out += "\r\n";
    out += "# Stats\r\ntotal_connections_received:" +
           std::to_string(shared_->total_connections.load(std::memory_order_relaxed)) +
           "\r\ntotal_commands_processed:" + std::to_string(shared_->total_commands.load(std::memory_order_relaxed)) +
           "\r\ntotal_error_replies_protocol:" +
           std::to_string(shared_->rejected_protocol.load(std::memory_order_relaxed)) + "\r\n";
  }
  if (want("keyspace")) {
    // Counted through a Session of our own, so the client's SELECT and
    // MULTI are untouched. Only key counts are known here (expires=0).
    if (!out.empty()) out += "\r\n";
    out += "# Keyspace\r\n";
    auto probe = shared_->engine->Connect();
    for (int db = 0; db < 16; ++db) {
      std::string n = std::to_string(db);
      if (!probe->Call({"SELECT", n}).is_ok()) break;
      Reply size = probe->Call({"DBSIZE"});
      if (size.type() != Reply::Type::kInteger) break;  // BUSY: leave the section short
      if (size.integer() > 0) {
        out += "db" + n + ":keys=" + std::to_string(size.integer()) + ",expires=0,avg_ttl=0\r\n";
      }
    }
  }
  return TextReply(out);
}

// ---- COMMAND -------------------------------------------------------------

namespace {

// COMMAND INFO's entry for one engine command (Redis 7.0 layout: name,
// arity, flags, first key, last key, step, ACL categories, tips, key specs,
// subcommands).
Reply CommandInfo(const CommandSpec& c) {
  std::vector<Reply> flags;
  auto flag = [&](uint32_t f, const char* name) {
    if (c.Has(f)) flags.push_back(Reply::Status(name));
  };
  flag(kCmdWrite, "write");
  flag(kCmdReadonly, "readonly");
  flag(kCmdAdmin, "admin");
  flag(kCmdNoScript, "noscript");
  flag(kCmdBlocking, "blocking");
  flag(kCmdFast, "fast");
  flag(kCmdNoMulti, "no_multi");
  flag(kCmdAllowBusy, "allow_busy");
  return Reply::Array({Reply::Bulk(c.name), Reply::Integer(c.arity), Reply::Array(std::move(flags)),
                       Reply::Integer(c.first_key), Reply::Integer(c.last_key), Reply::Integer(c.key_step),
                       Reply::Array(), Reply::Array(), Reply::Array(), Reply::Array()});
}

Reply ConnCommandInfo(std::string_view name, int arity) {
  std::vector<Reply> flags = {Reply::Status("noscript"), Reply::Status("loading"), Reply::Status("stale")};
  return Reply::Array({Reply::Bulk(name), Reply::Integer(arity), Reply::Array(std::move(flags)), Reply::Integer(0),
                       Reply::Integer(0), Reply::Integer(0), Reply::Array(), Reply::Array(), Reply::Array(),
                       Reply::Array()});
}

// The connection-level commands, for COMMAND's listings.
constexpr std::pair<std::string_view, int> kConnCommandArity[] = {
    {"hello", -1}, {"auth", -2}, {"client", -2}, {"config", -2},
    {"info", -1},  {"command", -1}, {"shutdown", -1}, {"quit", -1},
};

}  // namespace

Reply ClientConnection::CommandCmd(const Argv& argv) {
  const auto& table = CommandTable::Get().all();
  auto info_of = [&](std::string_view name) -> Reply {
    if (const CommandSpec* c = CommandTable::Get().Find(name)) return CommandInfo(*c);
    for (const auto& [n, a] : kConnCommandArity) {
      if (EqualsIgnoreCase(n, name)) return ConnCommandInfo(n, a);
    }
    return Reply::NilArray();
  };
  if (argv.size() == 1) {
    std::vector<Reply> all;
    for (const auto& [name, spec] : table) all.push_back(CommandInfo(spec));
    for (const auto& [n, a] : kConnCommandArity) {
      if (table.find(std::string(n)) == table.end()) all.push_back(ConnCommandInfo(n, a));
    }
    return Reply::Array(std::move(all));
  }
  std::string sub = Lower(argv[1]);
  if (sub == "count") {
    int64_t n = static_cast<int64_t>(table.size());
    for (const auto& [name, a] : kConnCommandArity) n += table.find(std::string(name)) == table.end();
    return Reply::Integer(n);
  }
  if (sub == "list") {
    std::vector<Reply> names;
    for (const auto& [name, spec] : table) names.push_back(Reply::Bulk(name));
    for (const auto& [n, a] : kConnCommandArity) {
      if (table.find(std::string(n)) == table.end()) names.push_back(Reply::Bulk(n));
    }
    return Reply::Array(std::move(names));
  }
  if (sub == "info") {
    std::vector<Reply> out;
    for (size_t i = 2; i < argv.size(); ++i) out.push_back(info_of(argv[i]));
    return Reply::Array(std::move(out));
  }
  if (sub == "docs") {
    // No documentation: redis-cli then falls back to its built-in help.
    return Reply::Map({});
  }
  return Err("ERR unknown subcommand '" + argv[1] + "'. Try COMMAND HELP.");
}

// ---- SHUTDOWN ------------------------------------------------------------

Reply ClientConnection::Shutdown(const Argv& argv) {
  for (size_t i = 1; i < argv.size(); ++i) {
    std::string a = Lower(argv[i]);
    if (a == "abort") return Err("ERR No shutdown in progress.");
    if (a != "nosave" && a != "save" && a != "now" && a != "force") return Err("ERR syntax error");
  }
  if (!shared_->options.allow_shutdown_command || !shared_->request_shutdown) {
    return Err("ERR SHUTDOWN is disabled on this txlab server");
  }
  // Like Redis: no reply, the connection just closes as the server stops.
  close_now_ = true;
  shared_->request_shutdown();
  return Reply::Ok();  // not sent: close_now_ drops it
}

}  // namespace txlab
