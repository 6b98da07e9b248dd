#pragma once
#include <istream>
#include <stdexcept>
#include <string>

#include "mail/auth/dns_resolver.h"

namespace rampart::mail {

class DnsFixtureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads DNS answers for tests, benchmarks and demos (config `inbound.dns_fixture_file`) into
// `resolver`. One answer a line, in zone-file style:
//   sel._domainkey.customer.example TXT "v=DKIM1; k=rsa; " "p=MIIB..."
//   _dmarc.customer.example TXT "v=DMARC1; p=reject"
// Several quoted strings on a line are one record (joined, as DNS TXT strings are); a backslash
// escapes the next character inside them. Blank lines and lines starting with '#' are skipped.
// Throws DnsFixtureError naming the line of the first malformed entry: a half-read table would make
// every later DKIM or DMARC verdict silently wrong.
void LoadDnsFixture(std::istream& in, FixtureResolver& resolver);

}  // namespace rampart::mail
