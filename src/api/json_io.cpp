#include "api/json_io.h"

#include <boost/json/basic_parser_impl.hpp>
#include <charconv>

#include "core/errors.h"
#include "core/strings.h"

namespace rampart::api {
namespace {

namespace json = boost::json;

// No request of ours nests deeper than an object in an object in the body ("tags": {"add": []});
// a small bound keeps hostile nesting cheap.
constexpr std::size_t kMaxDepth = 8;

// A first pass that only looks for repeated keys in any object. Boost.JSON keeps the last of
// repeated keys; other parsers keep the first or fail, so a repeated key is refused.
class RepeatedKeyFinder {
 public:
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    keys_.pop_back();
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key_.append(s.data(), s.size());
    if (!keys_.back().insert(key_).second) {
      repeated_ = key_;
      ec = json::error::syntax;
      return false;
    }
    key_.clear();
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double, json::string_view, json::error_code&) { return true; }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  const std::optional<std::string>& Repeated() const { return repeated_; }

 private:
  std::vector<std::set<std::string, std::less<>>> keys_;
  std::string key_;
  std::optional<std::string> repeated_;
};

json::parse_options Options() {
  json::parse_options options;  // standard JSON only: no comments, no trailing commas
  options.max_depth = kMaxDepth;
  options.allow_invalid_utf8 = false;
  return options;
}

bool IsJsonType(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  if (!core::EqualsIgnoreCase(core::Trim(content_type.substr(0, semicolon)), "application/json")) {
    return false;
  }
  if (semicolon == std::string_view::npos) return true;
  // JSON is UTF-8 (RFC 8259); a client announcing anything else would be misread.
  const std::string parameters = core::ToLower(content_type.substr(semicolon + 1));
  for (std::string_view p : core::Split(parameters, ';')) {
    p = core::Trim(p);
    if (p.empty()) continue;
    if (p != "charset=utf-8" && p != "charset=\"utf-8\"") return false;
  }
  return true;
}

const char* KindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "something else";
}

// A name from the input as an error may echo it: bounded, since it can be as long as the body.
std::string Shown(std::string_view name) {
  constexpr std::size_t kMaxShown = 100;
  return std::string(name.substr(0, kMaxShown));
}

[[noreturn]] void WrongType(const std::string& field, const char* expected, const json::value& v) {
  throw core::Malformed(field, std::string("must be ") + expected + ", not " + KindName(v),
                        "wrong_type");
}

void EscapeForMarkup(std::string& out, std::string_view text) {
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '<') {
      out += "\\u003c";
    } else if (ch == '>') {
      out += "\\u003e";
    } else if (ch == '&') {
      out += "\\u0026";
    } else if (ch == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' &&
               (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      // U+2028 and U+2029 end a line in older JavaScript, even inside a string.
      out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += ch;
    }
  }
}

}  // namespace

json::object ParseObject(std::string_view content_type, std::string_view text) {
  if (!IsJsonType(content_type)) {
    throw core::RequestError(415, "unsupported_media_type",
                             "The body must be JSON, sent as Content-Type: application/json.",
                             "content type " + std::string(content_type.substr(0, 100)));
  }
  json::basic_parser<RepeatedKeyFinder> finder(Options());
  json::error_code ec;
  const std::size_t used = finder.write_some(false, text.data(), text.size(), ec);
  if (finder.handler().Repeated()) {
    throw core::Malformed(Shown(*finder.handler().Repeated()), "appears more than once",
                          "repeated_field");
  }
  if (ec || used != text.size()) {
    throw core::Malformed("", "the body is not valid JSON", "invalid_json");
  }
  json::value value =
      json::parse(json::string_view(text.data(), text.size()), ec, json::storage_ptr(), Options());
  if (ec) throw core::Malformed("", "the body is not valid JSON", "invalid_json");
  if (!value.is_object()) {
    throw core::Malformed("", std::string("the body must be a JSON object, not ") + KindName(value),
                          "invalid_json");
  }
  return std::move(value.as_object());
}

json::object ParseObjectBody(const http::Request& request) {
  return ParseObject(request.headers.Get("Content-Type").value_or(""), request.body);
}

ObjectReader::ObjectReader(const json::object& object, std::string path)
    : object_(object), path_(std::move(path)) {}

std::string ObjectReader::PathOf(std::string_view name) const {
  return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
}

bool ObjectReader::Has(std::string_view name) const {
  return object_.contains(json::string_view(name.data(), name.size()));
}

const json::value* ObjectReader::Find(std::string_view name) {
  asked_.emplace(name);
  return object_.if_contains(json::string_view(name.data(), name.size()));
}

std::optional<std::string> ObjectReader::String(std::string_view name) {
  const json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) WrongType(PathOf(name), "a string", *v);
  return std::string(v->get_string());
}

std::string ObjectReader::RequiredString(std::string_view name) {
  auto s = String(name);
  if (!s) throw core::Malformed(PathOf(name), "is required", "missing_field");
  return std::move(*s);
}

std::optional<bool> ObjectReader::Bool(std::string_view name) {
  const json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) WrongType(PathOf(name), "true or false", *v);
  return v->get_bool();
}

std::optional<std::int64_t> ObjectReader::Int(std::string_view name) {
  const json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  // 2^63 and above, fractions and exponents are not ids.
  WrongType(PathOf(name), "an integer", *v);
}

std::optional<std::optional<std::int64_t>> ObjectReader::NullableInt(std::string_view name) {
  const json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_null()) return std::optional<std::int64_t>();
  if (v->is_int64()) return std::optional<std::int64_t>(v->get_int64());
  WrongType(PathOf(name), "an integer or null", *v);
}

std::optional<std::vector<std::string>> ObjectReader::StringArray(std::string_view name) {
  const json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) WrongType(PathOf(name), "an array of strings", *v);
  std::vector<std::string> out;
  for (const json::value& item : v->get_array()) {
    if (!item.is_string()) WrongType(PathOf(name) + "[]", "a string", item);
    out.emplace_back(item.get_string());
  }
  return out;
}

std::optional<std::vector<std::int64_t>> ObjectReader::IntArray(std::string_view name) {
  const json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) WrongType(PathOf(name), "an array of integers", *v);
  std::vector<std::int64_t> out;
  for (const json::value& item : v->get_array()) {
    if (!item.is_int64()) WrongType(PathOf(name) + "[]", "an integer", item);
    out.push_back(item.get_int64());
  }
  return out;
}

const json::object* ObjectReader::Object(std::string_view name) {
  const json::value* v = Find(name);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) WrongType(PathOf(name), "an object", *v);
  return &v->get_object();
}

void ObjectReader::RejectUnknown() const {
  for (const auto& item : object_) {
    const std::string_view key(item.key().data(), item.key().size());
    if (!asked_.contains(key)) {
      throw core::Malformed(Shown(PathOf(key)), "unknown field", "unknown_field");
    }
  }
}

QueryReader::QueryReader(const http::Request& request) : request_(request) {}

std::optional<std::string> QueryReader::String(std::string_view name) {
  asked_.emplace(name);
  std::optional<std::string> found;
  for (const auto& [key, value] : request_.query) {
    if (key != name) continue;
    if (found) throw core::Malformed(std::string(name), "appears more than once", "repeated_field");
    found = value;
  }
  return found;
}

std::optional<std::int64_t> QueryReader::Int(std::string_view name) {
  const auto text = String(name);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const char* begin = text->data();
  const char* end = begin + text->size();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text->empty() || ec != std::errc() || ptr != end) {
    throw core::Malformed(std::string(name), "must be an integer", "wrong_type");
  }
  return value;
}

void QueryReader::RejectUnknown() const {
  for (const auto& [key, value] : request_.query) {
    if (!asked_.contains(key)) {
      throw core::Malformed(Shown(key), "unknown query parameter", "unknown_field");
    }
  }
}

std::string Serialize(const json::value& value) {
  const std::string plain = json::serialize(value);
  std::string out;
  EscapeForMarkup(out, plain);
  return out;
}

http::Response JsonResponse(int status, const json::value& value) {
  return http::Response::Json(status, Serialize(value));
}

}  // namespace rampart::api
