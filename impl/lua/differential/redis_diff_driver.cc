// Differential driver: reads one JSON array of strings per line (a command),
// runs it through one Session of a fresh Engine, and prints the reply as one
// JSON value per line ({"status":…}, {"error":…}, integers, strings, null,
// arrays). redis_diff.py sends the same lines to redis-server and compares.
#include <iostream>
#include <nlohmann/json.hpp>
#include "impl/engine/engine.h"
using namespace txlab;
nlohmann::json J(const Reply& r) {
  switch (r.type()) {
    case Reply::Type::kStatus: return {{"status", r.str()}};
    case Reply::Type::kError: return {{"error", r.str()}};
    case Reply::Type::kInteger: return r.integer();
    case Reply::Type::kBulk: return r.str();
    case Reply::Type::kNil: case Reply::Type::kNilArray: return nullptr;
    case Reply::Type::kDouble: return std::to_string(r.dbl());
    case Reply::Type::kBool: return r.integer();
    default: { nlohmann::json a = nlohmann::json::array(); for (auto& e : r.elems()) a.push_back(J(e)); return a; }
  }
}
int main() {
  EngineOptions o; o.active_expire = false;
  Engine e(o); auto s = e.Connect();
  std::string line;
  while (std::getline(std::cin, line)) {
    auto argv = nlohmann::json::parse(line).get<std::vector<std::string>>();
    std::cout << J(s->Call(argv)).dump() << "\n" << std::flush;
  }
  s.reset();
}
