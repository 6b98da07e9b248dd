#pragma once
// What a browser does with a page: read cookies it was given and the form's CSRF token.
#include <string>

#include "support/http_client.h"

namespace rampart::testing {

// The value of cookie `name` set by the response, or "".
std::string CookieValue(const HttpResponse& response, const std::string& name);
// The whole Set-Cookie line for `name` (to check its attributes), or "".
std::string SetCookieLine(const HttpResponse& response, const std::string& name);
// The value of the first hidden csrf_token field in a page, or "".
std::string CsrfField(const std::string& html);
// application/x-www-form-urlencoded encoding of one value.
std::string FormEncode(const std::string& value);

}  // namespace rampart::testing
