#pragma once
#include <string>
#include <string_view>

namespace rampart::security {

// `candidate` when it is a path on this site ("/agent/?q=x"), else "": never a scheme, a host
// ("//evil.example"), a backslash (browsers read "/\evil" as "//evil"), a control character or
// an encoded one of these. For `next=` parameters, so that a link cannot send someone who signs
// in or confirms their password to another site.
std::string LocalPathOrEmpty(std::string_view candidate);

// Percent-encodes everything but unreserved characters and '/', for a path in a query value.
std::string EncodeQueryValue(std::string_view value);

}  // namespace rampart::security
