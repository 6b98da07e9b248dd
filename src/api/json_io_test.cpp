#include "api/json_io.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace rampart::api {
namespace {

namespace json = boost::json;

// The status, code and field of the error that `f` throws.
template <typename F>
std::string Failure(F&& f) {
  try {
    f();
  } catch (const core::RequestError& e) {
    return std::to_string(e.Status()) + " " + e.Code() + " " + e.Field();
  }
  return "no error";
}

TEST(ParseObject, AcceptsAnObjectSentAsJson) {
  const json::object o = ParseObject("application/json", R"({"subject":"Hi","n":1})");
  EXPECT_EQ(o.at("subject").as_string(), "Hi");
  EXPECT_NO_THROW(ParseObject("Application/JSON; charset=UTF-8", "{}"));
}

TEST(ParseObject, OtherMediaTypesAre415) {
  EXPECT_EQ(Failure([] { ParseObject("", "{}"); }), "415 unsupported_media_type ");
  EXPECT_EQ(Failure([] { ParseObject("text/plain", "{}"); }), "415 unsupported_media_type ");
  EXPECT_EQ(Failure([] { ParseObject("application/x-www-form-urlencoded", "a=b"); }),
            "415 unsupported_media_type ");
  EXPECT_EQ(Failure([] { ParseObject("application/json; charset=latin1", "{}"); }),
            "415 unsupported_media_type ");
  EXPECT_EQ(Failure([] { ParseObject("application/jsonx", "{}"); }), "415 unsupported_media_type ");
}

TEST(ParseObject, AnythingButOneStandardObjectIs400) {
  for (const char* text : {"", "[]", "\"text\"", "null", "1", "{", "{} {}", "{}x", "{\"a\":1,}",
                           "{/*c*/}", "{'a':1}", "{\"a\":\"\xff\"}"}) {
    EXPECT_EQ(Failure([&] { ParseObject("application/json", text); }), "400 invalid_json ") << text;
  }
}

TEST(ParseObject, DeepNestingIsRefused) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "{\"a\":";
  deep += "1";
  for (int i = 0; i < 100; ++i) deep += "}";
  EXPECT_EQ(Failure([&] { ParseObject("application/json", deep); }), "400 invalid_json ");
}

TEST(ParseObject, RepeatedKeysAreRefusedAtAnyDepth) {
  EXPECT_EQ(
      Failure([] { ParseObject("application/json", R"({"internal":false,"internal":true})"); }),
      "400 repeated_field internal");
  EXPECT_EQ(Failure([] { ParseObject("application/json", R"({"tags":{"add":[],"add":["x"]}})"); }),
            "400 repeated_field add");
  // The same key in sibling objects is fine.
  EXPECT_NO_THROW(ParseObject("application/json", R"({"a":{"k":1},"b":{"k":2}})"));
  // Escapes do not hide a repeat.
  EXPECT_EQ(Failure([] { ParseObject("application/json", R"({"body":"x","b\u006fdy":"y"})"); }),
            "400 repeated_field body");
}

TEST(ObjectReader, ChecksTypesAndNamesTheField) {
  const json::object o =
      ParseObject("application/json",
                  R"({"s":1,"b":"true","i":1.5,"big":18446744073709551615,"a":["x",2],"o":[]})");
  ObjectReader r(o);
  EXPECT_EQ(Failure([&] { r.String("s"); }), "400 wrong_type s");
  EXPECT_EQ(Failure([&] { r.Bool("b"); }), "400 wrong_type b");
  EXPECT_EQ(Failure([&] { r.Int("i"); }), "400 wrong_type i");
  EXPECT_EQ(Failure([&] { r.Int("big"); }), "400 wrong_type big");
  EXPECT_EQ(Failure([&] { r.StringArray("a"); }), "400 wrong_type a[]");
  EXPECT_EQ(Failure([&] { r.Object("o"); }), "400 wrong_type o");
  EXPECT_EQ(Failure([&] { r.RequiredString("missing"); }), "400 missing_field missing");
}

TEST(ObjectReader, UnknownFieldsAreRefusedByName) {
  const json::object o = ParseObject("application/json", R"({"body":"x","interal":true})");
  ObjectReader r(o);
  EXPECT_EQ(r.RequiredString("body"), "x");
  EXPECT_FALSE(r.Bool("internal"));
  EXPECT_EQ(Failure([&] { r.RejectUnknown(); }), "400 unknown_field interal");
  const json::object nested = ParseObject("application/json", R"({"add":[],"drop":[]})");
  ObjectReader t(nested, "tags");
  t.StringArray("add");
  EXPECT_EQ(Failure([&] { t.RejectUnknown(); }), "400 unknown_field tags.drop");
}

TEST(ObjectReader, NullableIntTellsAbsentFromNull) {
  const json::object o = ParseObject("application/json", R"({"a":null,"b":7})");
  ObjectReader r(o);
  EXPECT_FALSE(r.NullableInt("c").has_value());
  ASSERT_TRUE(r.NullableInt("a").has_value());
  EXPECT_FALSE(r.NullableInt("a")->has_value());
  EXPECT_EQ(r.NullableInt("b"), std::optional<std::int64_t>(7));
}

TEST(QueryReader, RefusesRepeatsUnknownsAndNonIntegers) {
  http::Request request;
  request.query = {{"limit", "5"}, {"view", "all"}, {"view", "mine"}, {"x", "1"}};
  QueryReader q(request);
  EXPECT_EQ(q.Int("limit"), 5);
  EXPECT_EQ(Failure([&] { q.String("view"); }), "400 repeated_field view");
  EXPECT_EQ(Failure([&] { q.RejectUnknown(); }), "400 unknown_field x");
  request.query = {{"limit", "5x"}};
  QueryReader bad(request);
  EXPECT_EQ(Failure([&] { bad.Int("limit"); }), "400 wrong_type limit");
}

TEST(Serialize, MarkupCharactersLeaveOnlyAsEscapes) {
  const std::string text = "<script>alert(1)</script> & \xE2\x80\xA8";
  const std::string out = Serialize(json::object{{"subject", text}});
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out.find('>'), std::string::npos);
  EXPECT_EQ(out.find('&'), std::string::npos);
  EXPECT_EQ(out.find("\xE2\x80\xA8"), std::string::npos);
  // Any JSON parser reads back exactly what was stored.
  EXPECT_EQ(json::parse(out).at("subject").as_string(), text);
}

}  // namespace
}  // namespace rampart::api
