#include "mail/auth/dns_fixture_file.h"

#include <cctype>
#include <string_view>

namespace rampart::mail {
namespace {

void SkipSpace(std::string_view line, std::size_t& at) {
  while (at < line.size() && std::isspace(static_cast<unsigned char>(line[at])) != 0) ++at;
}

std::string_view Word(std::string_view line, std::size_t& at) {
  SkipSpace(line, at);
  const std::size_t start = at;
  while (at < line.size() && std::isspace(static_cast<unsigned char>(line[at])) == 0) ++at;
  return line.substr(start, at - start);
}

bool IsTxt(std::string_view word) {
  return word.size() == 3 && std::toupper(static_cast<unsigned char>(word[0])) == 'T' &&
         std::toupper(static_cast<unsigned char>(word[1])) == 'X' &&
         std::toupper(static_cast<unsigned char>(word[2])) == 'T';
}

// The quoted strings from `at` to the end of the line, joined; false when malformed.
bool QuotedStrings(std::string_view line, std::size_t at, std::string& value) {
  bool any = false;
  for (SkipSpace(line, at); at < line.size(); SkipSpace(line, at)) {
    if (line[at] != '"') return false;
    for (++at;; ++at) {
      if (at >= line.size()) return false;  // no closing quote
      if (line[at] == '"') break;
      if (line[at] == '\\' && at + 1 < line.size()) ++at;
      value.push_back(line[at]);
    }
    ++at;
    any = true;
  }
  return any;
}

}  // namespace

void LoadDnsFixture(std::istream& in, FixtureResolver& resolver) {
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t at = 0;
    SkipSpace(line, at);
    if (at == line.size() || line[at] == '#') continue;
    const std::string_view name = Word(line, at);
    const std::string_view type = Word(line, at);
    std::string value;
    if (!IsTxt(type) || !QuotedStrings(line, at, value)) {
      throw DnsFixtureError("DNS fixture line " + std::to_string(number) +
                            ": expected name TXT \"value\"");
    }
    resolver.Add(name, std::move(value));
  }
}

}  // namespace rampart::mail
