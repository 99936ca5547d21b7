#include "model/edn.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/history_io.h"

namespace txlab {
namespace {

Edn Parse(std::string_view s) {
  Edn e;
  ParseError err = ParseEdn(s, &e);
  EXPECT_TRUE(err.ok) << s << ": " << err.ToString();
  return e;
}

ParseError ParseErr(std::string_view s) {
  Edn e;
  return ParseEdn(s, &e);
}

TEST(Edn, Scalars) {
  EXPECT_TRUE(Parse("nil").is_nil());
  EXPECT_EQ(Parse("true"), Edn::Bool(true));
  EXPECT_EQ(Parse("false"), Edn::Bool(false));
  EXPECT_EQ(Parse("42"), Edn::Int(42));
  EXPECT_EQ(Parse("-7"), Edn::Int(-7));
  EXPECT_EQ(Parse("+7"), Edn::Int(7));
  EXPECT_EQ(Parse("12N"), Edn::Int(12));
  EXPECT_EQ(Parse("-9223372036854775808"), Edn::Int(INT64_MIN));
  EXPECT_EQ(Parse("1.5"), Edn::Double(1.5));
  EXPECT_EQ(Parse("1e3"), Edn::Double(1000));
  EXPECT_EQ(Parse("2.5M"), Edn::Double(2.5));
  EXPECT_TRUE(std::isinf(Parse("##Inf").as_double()));
  EXPECT_EQ(Parse(":ok"), Edn::Kw("ok"));
  EXPECT_EQ(Parse(":jepsen.op/ok"), Edn::Kw("jepsen.op/ok"));
  EXPECT_EQ(Parse(R"("a\"b\\c\n\t\u00e9")"), Edn::String("a\"b\\c\n\t\xc3\xa9"));
  EXPECT_EQ(Parse("\\a"), Edn::String("a"));
}

TEST(Edn, Collections) {
  Edn v = Parse("[[:append 3 7] [:r 4 [1 2]], (1 2) #{5}]");
  ASSERT_TRUE(v.is_vector());
  ASSERT_EQ(v.as_vector().size(), 4u);
  EXPECT_EQ(v.as_vector()[0], Edn::Vec({Edn::Kw("append"), Edn::Int(3), Edn::Int(7)}));
  EXPECT_EQ(v.as_vector()[2], Edn::Vec({Edn::Int(1), Edn::Int(2)}));
  EXPECT_EQ(v.as_vector()[3], Edn::Vec({Edn::Int(5)}));
  Edn m = Parse("{:type :ok, :value nil ; a comment\n :x #_ 99 1}");
  ASSERT_TRUE(m.is_map());
  EXPECT_EQ(*m.Get("type"), Edn::Kw("ok"));
  EXPECT_TRUE(m.Get("value")->is_nil());
  EXPECT_EQ(*m.Get("x"), Edn::Int(1));
  EXPECT_EQ(m.Get("absent"), nullptr);
  EXPECT_EQ(Parse("#inst \"2020\""), Edn::String("2020"));
}

TEST(Edn, RoundTrip) {
  for (const char* s : {"[[:append 3 7] [:r 4 [1 2]]]", "{:a 1, :b [nil true false]}", "\"x\\ny\"", "-1.25",
                        "[1 2.0 :k \"s\" {}]"}) {
    Edn e = Parse(s);
    EXPECT_EQ(Parse(e.ToEdn()), e) << s;
  }
  EXPECT_EQ(Parse("[[:append 3 7] {:a nil}]").ToJson(), R"([["append",3,7],{"a":null}])");
  EXPECT_EQ(Parse("2.0").ToEdn(), "2.0");
}

TEST(Edn, Errors) {
  ParseError e = ParseErr("[1 2\n 3");
  EXPECT_FALSE(e.ok);
  EXPECT_EQ(e.line, 1);
  EXPECT_NE(e.reason.find("unterminated"), std::string::npos) << e.reason;
  e = ParseErr("{:a 1\n\n :b}");
  EXPECT_FALSE(e.ok);
  EXPECT_EQ(e.line, 3);
  e = ParseErr("\"abc");
  EXPECT_FALSE(e.ok);
  EXPECT_NE(e.reason.find("unterminated string"), std::string::npos);
  EXPECT_FALSE(ParseErr("]").ok);
  EXPECT_FALSE(ParseErr("1 2").ok);
  EXPECT_FALSE(ParseErr("").ok);
  EXPECT_FALSE(ParseErr("99999999999999999999").ok);
  EXPECT_FALSE(ParseErr("\"\\q\"").ok);
  EXPECT_FALSE(ParseErr(std::string(10000, '[')).ok);  // refuses, doesn't overflow
}

}  // namespace
}  // namespace txlab
