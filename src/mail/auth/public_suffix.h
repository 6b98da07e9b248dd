#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>

namespace rampart::mail {

inline constexpr char kDebianPublicSuffixList[] = "/usr/share/publicsuffix/public_suffix_list.dat";

// The Public Suffix List (Debian's `publicsuffix` package), for DMARC's organizational domain
// (RFC 7489 §3.2). Rules are held as A-labels, so lookups compare the ASCII form a mail header
// carries; both the ICANN and the private sections count, as in common DMARC implementations.
class PublicSuffixList {
 public:
  // Throws std::runtime_error when the file cannot be read or holds no rules.
  static PublicSuffixList Load(const std::filesystem::path& file = kDebianPublicSuffixList);
  static PublicSuffixList FromText(std::string_view text);

  // The registrable domain: the public suffix plus one label ("mail.example.co.uk" gives
  // "example.co.uk"). A domain that is itself a public suffix is its own organizational domain.
  // Input is lowercased; "" for an empty or malformed name.
  std::string OrganizationalDomain(std::string_view domain) const;

 private:
  std::unordered_set<std::string> rules_;       // "co.uk"
  std::unordered_set<std::string> wildcards_;   // "ck" for "*.ck"
  std::unordered_set<std::string> exceptions_;  // "www.ck" for "!www.ck"
};

// A domain name as DMARC compares it: lowercased, without a trailing dot, or "" when it has
// characters a host name cannot have or an empty label.
std::string NormalizedDomain(std::string_view domain);

}  // namespace rampart::mail
