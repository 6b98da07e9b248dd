#include "api/json_text.h"

#include <gtest/gtest.h>

#include <random>

#include "api/json_io.h"
#include "api/render.h"
#include "core/clock.h"

namespace rampart::api {
namespace {

namespace json = boost::json;

// What the Boost.JSON path (api::Serialize) writes for the string: the reference.
std::string Reference(std::string_view text) {
  return Serialize(json::value(json::string(text)));
}

std::string Written(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(AppendJsonString, EscapesQuotesBackslashesAndEveryControlCharacter) {
  EXPECT_EQ(Written(R"(say "hi" \ there)"), R"("say \"hi\" \\ there")");
  EXPECT_EQ(Written("\b\t\n\f\r"), R"("\b\t\n\f\r")");
  EXPECT_EQ(Written(std::string("\0\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  for (int c = 0; c < 0x20; ++c) {
    const std::string text(1, static_cast<char>(c));
    EXPECT_EQ(Written(text), Reference(text)) << c;
  }
  EXPECT_EQ(Written("\x7f"), Reference("\x7f"));  // DEL is no JSON control: as is
}

TEST(AppendJsonString, MarkupAndJavaScriptLineEndsComeOutAsEscapes) {
  EXPECT_EQ(Written("<script>alert(1)</script>"),
            R"("\u003cscript\u003ealert(1)\u003c/script\u003e")");
  EXPECT_EQ(Written(R"("><img src=x onerror=alert(1)>)"),
            R"("\"\u003e\u003cimg src=x onerror=alert(1)\u003e")");
  EXPECT_EQ(Written("a & b"), R"("a \u0026 b")");
  EXPECT_EQ(Written("line\xE2\x80\xA8para\xE2\x80\xA9"), R"("line\u2028para\u2029")");
  EXPECT_EQ(Written("javascript:alert(1)"), "\"javascript:alert(1)\"");
  for (const std::string_view text :
       {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "a & b",
        "x\xE2\x80\xA8y\xE2\x80\xA9", "\xE2\x82\xAC euro", "\xF0\x9F\x98\x80"}) {
    EXPECT_EQ(Written(text), Reference(text)) << text;
  }
}

TEST(AppendJsonString, InvalidUtf8PassesAsTheBoostPathWritesIt) {
  // Stored text is validated on the way in; if a byte sequence were not, both paths must still
  // agree, including around the U+2028 prefix.
  for (const std::string_view text :
       {"\xFF", "\xC0\x80", "\xE2", "\xE2\x80", "a\xE2\x80", "\xE2\xE2\x80\xA8", "\xE2\x80\xA7",
        "\xE2\x81\xA8", "\xED\xA0\x80", "\x80\x80"}) {
    EXPECT_EQ(Written(text), Reference(text));
  }
}

TEST(AppendJsonString, AgreesWithTheBoostPathOnRandomBytes) {
  // A fixed seed on purpose: a failure must reproduce.
  std::mt19937 random(20261130);  // NOLINT(cert-msc51-cpp)
  // Bytes weighted towards the special ones, so that runs of them meet each other.
  const std::string alphabet = std::string(
      "\"\\<>&\xE2\x80\xA8\xA9\n\x01\x7f\xFF"
      "ab ",
      16);
  for (int round = 0; round < 3000; ++round) {
    std::string text(random() % 40, '\0');
    for (char& ch : text) {
      ch = random() % 3 == 0 ? static_cast<char>(random() % 256)
                             : alphabet[random() % alphabet.size()];
    }
    ASSERT_EQ(Written(text), Reference(text)) << round;
  }
}

TEST(AppendJsonTime, WritesWhatFormatUtcWrites) {
  std::mt19937_64 random(7);  // NOLINT(cert-msc51-cpp): fixed, so that a failure reproduces
  std::vector<std::int64_t> times = {
      0,          -1,           951782400,    951868799,    1798761599,  1798761600,
      4107542400, -30610224000, -30610224001, 253402300799, 253402300800};
  for (int i = 0; i < 5000; ++i) {
    times.push_back(static_cast<std::int64_t>(random() % 280000000000ULL) - 31000000000LL);
  }
  for (const std::int64_t t : times) {
    std::string out;
    AppendJsonTime(out, t);
    ASSERT_EQ(out, '"' + core::FormatUtc(t) + '"') << t;
  }
  std::string out;
  AppendJsonTime(out, std::optional<std::int64_t>());
  EXPECT_EQ(out, "null");
}

TEST(AppendJsonInt, WritesDecimalIntegers) {
  std::string out;
  for (const std::int64_t n : {std::int64_t{0}, std::int64_t{-42}, INT64_MAX, INT64_MIN}) {
    out.clear();
    AppendJsonInt(out, n);
    EXPECT_EQ(out, Serialize(json::value(n)));
  }
}

// The queue row written directly has the document the Boost.JSON renderer gave: same fields,
// same order, same escaping.
TEST(AppendQueueRow, HasTheShapeOfTheJsonRenderers) {
  tickets::QueueRowView row;
  row.number = 1042;
  row.subject = "<script>alert(1)</script> \"quoted\"\n";
  row.status = tickets::Status::kOnHold;
  row.priority = tickets::Priority::kUrgent;
  row.requester_id = 7;
  row.requester_name = "\"><img src=x onerror=alert(1)>";
  row.department_id = 3;
  row.department_name = "Support & Sales";
  row.updated_at = 1798761600;
  row.due_at = 1798765200;
  std::string out;
  AppendQueueRow(out, row);
  const json::object expected{
      {"number", "RMP-1042"},
      {"subject", row.subject},
      {"status", "on_hold"},
      {"priority", "urgent"},
      {"requester", json::object{{"id", 7}, {"name", row.requester_name}}},
      {"department", json::object{{"id", 3}, {"name", "Support & Sales"}}},
      {"assignee", nullptr},
      {"updated_at", "2027-01-01T00:00:00Z"},
      {"due_at", "2027-01-01T01:00:00Z"},
      {"last_message_at", nullptr},
  };
  EXPECT_EQ(out, Serialize(expected));
  EXPECT_EQ(out.find('<'), std::string::npos);

  row.department_id.reset();
  row.assignee_id = 9;
  row.assignee_name = "Ada";
  row.due_at.reset();
  row.last_message_at = 0;
  out.clear();
  AppendQueueRow(out, row);
  const json::value parsed = json::parse(out);
  EXPECT_TRUE(parsed.at("department").is_null());
  EXPECT_EQ(parsed.at("assignee").at("name").as_string(), "Ada");
  EXPECT_TRUE(parsed.at("due_at").is_null());
  EXPECT_EQ(parsed.at("last_message_at").as_string(), "1970-01-01T00:00:00Z");
  EXPECT_EQ(parsed.at("subject").as_string(), row.subject);
}

}  // namespace
}  // namespace rampart::api
