#include "security/multipart_form.h"

#include <limits>
#include <memory>
#include <string>

#include "core/errors.h"

namespace rampart::security {
namespace {

struct MultipartBody : http::ParsedBody {
  mime::FormData form;
};

}  // namespace

bool IsMultipartForm(const http::Request& request) {
  const auto type = request.headers.Get("Content-Type");
  return type && mime::IsFormDataType(*type);
}

mime::FormData& MultipartForm(http::Request& request) {
  if (auto* parsed = dynamic_cast<MultipartBody*>(request.parsed_body.get())) return parsed->form;
  mime::FormLimits limits;
  // The connection already held the body to the route's limit; files are then judged by the
  // attachment rules, which know the configured sizes and say which file was too large.
  limits.max_total_bytes = std::numeric_limits<std::size_t>::max();
  limits.max_file_bytes = std::numeric_limits<std::size_t>::max();
  const auto type = request.headers.Get("Content-Type");
  mime::FormParse parse = mime::ParseFormData(type.value_or(""), request.body, limits);
  if (!parse.form) {
    const std::string code(mime::FormErrorName(parse.error));
    if (mime::IsSizeLimit(parse.error)) {
      throw core::RequestError(413, code, "The form has too many or too large parts.", code);
    }
    throw core::Malformed("", "The form could not be read (" + code + ").", code);
  }
  auto body = std::make_shared<MultipartBody>();
  body->form = std::move(*parse.form);
  mime::FormData& form = body->form;
  request.parsed_body = std::move(body);
  request.body.clear();
  request.body.shrink_to_fit();
  return form;
}

}  // namespace rampart::security
