// Test helpers: small histories written as EDN, checked both ways.
#ifndef TXLAB_CHECKERS_ISOLATION_TEST_UTIL_H_
#define TXLAB_CHECKERS_ISOLATION_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "checkers/isolation/isolation.h"
#include "model/history_io.h"

namespace txlab::isolation::testing {

// Builds a history op by op. Values are EDN micro-op vectors.
class HistoryBuilder {
 public:
  HistoryBuilder& Invoke(int process, const std::string& value) { return Op("invoke", process, value); }
  HistoryBuilder& Ok(int process, const std::string& value) { return Op("ok", process, value); }
  HistoryBuilder& Fail(int process, const std::string& value) { return Op("fail", process, value); }
  HistoryBuilder& Info(int process, const std::string& value) { return Op("info", process, value); }
  // A transaction invoked and completed :ok back to back.
  HistoryBuilder& Txn(int process, const std::string& value) { return Invoke(process, value).Ok(process, value); }

  History Build() const {
    History h;
    const ParseError e = ReadEdnHistory(text_, &h);
    EXPECT_TRUE(e.ok) << e.ToString() << "\n" << text_;
    return h;
  }
  const std::string& text() const { return text_; }

 private:
  HistoryBuilder& Op(const char* type, int process, const std::string& value) {
    text_ += "{:type :" + std::string(type) + ", :process " + std::to_string(process) + ", :f :txn, :value " + value +
             ", :index " + std::to_string(index_++) + "}\n";
    return *this;
  }
  std::string text_;
  int index_ = 0;
};

inline bool HasType(const IsolationReport& r, const std::string& type) { return r.counts.count(type) > 0; }

inline bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

inline std::string Dump(const IsolationReport& r) {
  std::string s = r.input_ok ? "" : "input error: " + r.input_error + "\n";
  for (const auto& a : r.anomalies) s += a.explanation + "\n";
  s += "ok:";
  for (const auto& m : r.models_ok) s += " " + m;
  s += "\nviolated:";
  for (const auto& m : r.models_violated) s += " " + m;
  return s;
}

}  // namespace txlab::isolation::testing

#endif  // TXLAB_CHECKERS_ISOLATION_TEST_UTIL_H_
