#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// multipart/form-data (RFC 7578) as browsers and API clients send it. This module is the only
// one that sees GMime and GLib; its interface speaks std:: types only, so that the HTTP layer,
// the web pages and (later) inbound mail can use it without either library's headers.
namespace rampart::mime {

// Bounds applied while parsing, before anything is copied out of the body.
struct FormLimits {
  std::size_t max_parts = 64;
  std::size_t max_header_bytes = 8 * 1024;    // one part's header block
  std::size_t max_field_bytes = 1024 * 1024;  // one non-file field's value
  std::size_t max_file_bytes = 25 * 1024 * 1024;
  std::size_t max_total_bytes = 26 * 1024 * 1024;  // the whole body
};

struct FormField {
  std::string name;
  std::string value;
};

struct FormFile {
  std::string field;          // the form field's name ("file")
  std::string filename;       // as the client sent it, decoded (RFC 2231/2047) but not normalized
  std::string declared_type;  // the part's Content-Type, lower case; a claim, never trusted
  std::string bytes;
};

struct FormData {
  std::vector<FormField> fields;
  std::vector<FormFile> files;
  // The first field of that name.
  std::optional<std::string> Field(std::string_view name) const;
};

enum class FormError {
  kNone,
  kNotFormData,      // the Content-Type is not multipart/form-data
  kNoBoundary,       // no boundary parameter, or one RFC 2046 does not allow
  kUnterminated,     // the body ends before the closing delimiter
  kMalformed,        // framing or part headers that cannot be read
  kMissingName,      // a part without Content-Disposition: form-data; name=...
  kNestedMultipart,  // a part that is itself multipart (RFC 7578 forbids it)
  kTooManyParts,
  kHeaderTooLarge,
  kFieldTooLarge,
  kFileTooLarge,
  kBodyTooLarge,
};

// A stable snake_case reason ("form_unterminated") for logs, metrics and error codes.
std::string_view FormErrorName(FormError error);
// Whether the error is a size limit (answered 413) rather than a malformed body (400).
bool IsSizeLimit(FormError error);

struct FormParse {
  std::optional<FormData> form;  // set exactly when error is kNone
  FormError error = FormError::kNone;
};

// Whether a Content-Type header names multipart/form-data (any parameters).
bool IsFormDataType(std::string_view content_type);

// Parses `body` under the Content-Type header `content_type`. Never throws on input; a part
// whose filename is present but empty with no content (a file input left empty) is dropped.
FormParse ParseFormData(std::string_view content_type, std::string_view body,
                        const FormLimits& limits = {});

}  // namespace rampart::mime
