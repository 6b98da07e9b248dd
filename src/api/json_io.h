#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

// Strict reading and safe writing of the API's JSON. Every reader here throws
// core::Malformed (400, naming the field) for input that is not the request it claims to be, and
// leaves judging well-formed values to the actions (core::Invalid, 422).
namespace rampart::api {

// The body as one JSON object. 415 unless Content-Type is application/json (a charset
// parameter, if any, must be utf-8); 400 for anything but a single object of standard JSON:
// comments, trailing commas, invalid UTF-8, nesting deeper than a request needs, and repeated
// keys (which parsers resolve differently: what a proxy checked must be what we act on).
boost::json::object ParseObjectBody(const http::Request& request);
// The same checks on text, for tests and fuzzing. `content_type` as the header gave it.
boost::json::object ParseObject(std::string_view content_type, std::string_view text);

// Reads the fields of one object, remembering which were asked for, so that a field the API does
// not know (a typo, or a field meant for another endpoint) is refused rather than ignored.
class ObjectReader {
 public:
  // `path` prefixes field names in errors ("tags" makes "tags.add").
  explicit ObjectReader(const boost::json::object& object, std::string path = "");
  bool Has(std::string_view name) const;
  std::optional<std::string> String(std::string_view name);
  std::string RequiredString(std::string_view name);
  std::optional<bool> Bool(std::string_view name);
  std::optional<std::int64_t> Int(std::string_view name);
  // Absent: nullopt. Present: the integer, or nullopt inside for JSON null ("unassign").
  std::optional<std::optional<std::int64_t>> NullableInt(std::string_view name);
  std::optional<std::vector<std::string>> StringArray(std::string_view name);
  std::optional<std::vector<std::int64_t>> IntArray(std::string_view name);
  const boost::json::object* Object(std::string_view name);
  // Throws core::Malformed naming the first field that was never asked for.
  void RejectUnknown() const;
  std::string PathOf(std::string_view name) const;

 private:
  const boost::json::value* Find(std::string_view name);
  const boost::json::object& object_;
  std::string path_;
  std::set<std::string, std::less<>> asked_;
};

// The query string, read the same way: each parameter at most once, unknown ones refused.
class QueryReader {
 public:
  explicit QueryReader(const http::Request& request);
  std::optional<std::string> String(std::string_view name);
  std::optional<std::int64_t> Int(std::string_view name);
  void RejectUnknown() const;

 private:
  const http::Request& request_;
  std::set<std::string, std::less<>> asked_;
};

// Serialises `value` for a response. Besides JSON's own escaping, <, >, & and U+2028/2029 are
// written as \u escapes: the text means the same to any JSON parser, and a response that some
// proxy or old browser mistakes for HTML or script carries no markup.
std::string Serialize(const boost::json::value& value);
http::Response JsonResponse(int status, const boost::json::value& value);

}  // namespace rampart::api
