#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::mail {

// One "method=result" of an Authentication-Results header with its properties:
// {"dkim", "pass", {{"header.d", "example.com"}, {"header.s", "s1"}}}.
struct AuthResult {
  std::string method;  // lowercased: "spf", "dkim", "dmarc", ...
  std::string result;  // lowercased: "pass", "fail", "softfail", "none", ...
  std::map<std::string, std::string> properties;  // "ptype.property" lowercased -> value
  std::string Property(const std::string& name) const;
};

struct AuthenticationResults {
  std::string authserv_id;  // lowercased
  std::vector<AuthResult> results;
};

// Parses one Authentication-Results header value (RFC 8601 §2.2): comments are skipped,
// quoted values unquoted, unknown methods kept. nullopt when it is not well formed; a header
// longer than 8 KiB or with more than 64 results is refused.
std::optional<AuthenticationResults> ParseAuthenticationResults(std::string_view value);

// The results that may be believed: those from headers whose authserv-id is in `trusted_ids`
// (the receiving MTA or mailbox provider, which strips forged copies of its own id on entry).
// Every other Authentication-Results header was written by someone we cannot vouch for, perhaps
// the sender, and is ignored (RFC 8601 §5).
std::vector<AuthResult> TrustedResults(const std::vector<std::string>& header_values,
                                       const std::vector<std::string>& trusted_ids);

}  // namespace rampart::mail
