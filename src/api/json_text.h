#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// JSON written straight into a response body, for lists too hot to build as Boost.JSON values
// first. Every string goes through AppendJsonString, which writes the very bytes api::Serialize
// would: Boost.JSON's escaping (quote, backslash, control characters; other bytes, invalid
// UTF-8 included, as they are) and then the markup escaping (<, >, &, U+2028, U+2029 as \u
// sequences), so the two paths cannot drift apart unnoticed (json_text_test compares them).
namespace rampart::api {

void AppendJsonString(std::string& out, std::string_view text);
void AppendJsonInt(std::string& out, std::int64_t value);
// An RFC 3339 UTC time as a JSON string, like core::FormatUtc.
void AppendJsonTime(std::string& out, std::int64_t unix_seconds);
// The time, or null.
void AppendJsonTime(std::string& out, const std::optional<std::int64_t>& unix_seconds);

}  // namespace rampart::api
