#include "core/strings.h"

#include <gtest/gtest.h>

namespace rampart::core {
namespace {

TEST(Strings, JsonQuoteEscapesControlAndQuotes) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
}

TEST(Strings, JsonQuoteReplacesInvalidUtf8) {
  EXPECT_EQ(JsonQuote("a\xff"
                      "b"),
            "\"a\\ufffdb\"");
  EXPECT_EQ(JsonQuote("\xc3\xa9"), "\"\xc3\xa9\"");
}

TEST(Strings, Utf8RejectsOverlongAndSurrogates) {
  EXPECT_TRUE(IsValidUtf8("h\xc3\xa9llo \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));      // truncated
}

TEST(Strings, ConstantTimeEqualsComparesWholeValue) {
  EXPECT_TRUE(ConstantTimeEquals("token-1", "token-1"));
  EXPECT_FALSE(ConstantTimeEquals("token-1", "token-2"));
  EXPECT_FALSE(ConstantTimeEquals("token", "token-1"));
}

TEST(Strings, ControlCharactersAreFound) {
  EXPECT_TRUE(HasControlCharacters("a\r\nb"));
  EXPECT_FALSE(HasControlCharacters("a\tb", "\t"));
}

}  // namespace
}  // namespace rampart::core
