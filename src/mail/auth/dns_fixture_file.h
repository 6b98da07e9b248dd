#pragma once
#include <filesystem>
#include <string_view>

#include "mail/auth/dns_resolver.h"

namespace rampart::mail {

// A FixtureResolver read from a text file (config `inbound.dns_fixture_file`), for test and
// demo setups only: one record per line,
//   s2026._domainkey.help.example TXT "v=DKIM1; k=rsa; " "p=MIIB..."
// where the quoted strings (with \" and \\ escapes) are joined as a TXT record's strings are.
// Blank lines and lines starting with # are skipped. Throws std::runtime_error naming the line
// of the first malformed one, or when the file cannot be read.
FixtureResolver LoadDnsFixtureFile(const std::filesystem::path& path);
// The same from text; `source` names it in errors.
FixtureResolver ParseDnsFixture(std::string_view text, std::string_view source);

}  // namespace rampart::mail
