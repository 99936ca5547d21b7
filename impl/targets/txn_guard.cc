#include "impl/targets/txn_guard.h"

#include <cctype>

namespace txlab {

std::string CommandName(const std::vector<std::string>& argv) {
  std::string n = argv.empty() ? std::string() : argv[0];
  for (char& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return n;
}

bool TxnGuard::BeforeSend(const std::vector<std::string>& argv) {
  const std::string name = CommandName(argv);
  bool closes = false;
  if (name == "EXEC" || name == "DISCARD" || name == "RESET") {
    closes = true;
  } else if (name == "UNWATCH" && !multi_) {
    closes = true;
  } else if (name == "WATCH" && !multi_) {
    if (refusing_) closes = true;  // a new attempt begins; this WATCH is refused
    else watching_ = true;
  } else if (name == "MULTI") {
    multi_ = true;
  }
  const bool send = !refusing_;
  if (closes) {
    watching_ = multi_ = refusing_ = false;
  }
  return send;
}

void TxnGuard::OnTransportFailure() {
  if (watching_ || multi_) refusing_ = true;
}

}  // namespace txlab
