#include "mail/auth/dns_fixture_file.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/strings.h"

namespace rampart::mail {
namespace {

// The quoted strings after TXT, joined; false when they are not well-formed.
bool ReadQuoted(std::string_view rest, std::string& value) {
  std::size_t i = 0;
  bool any = false;
  while (true) {
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
    if (i == rest.size()) return any;
    if (rest[i] != '"') return false;
    ++i;
    bool closed = false;
    while (i < rest.size()) {
      const char ch = rest[i++];
      if (ch == '"') {
        closed = true;
        break;
      }
      if (ch == '\\') {
        if (i == rest.size()) return false;
        value.push_back(rest[i++]);
      } else {
        value.push_back(ch);
      }
    }
    if (!closed) return false;
    any = true;
  }
}

}  // namespace

FixtureResolver ParseDnsFixture(std::string_view text, std::string_view source) {
  FixtureResolver resolver;
  int number = 0;
  for (std::string_view line : core::Split(text, '\n')) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = core::Trim(line);
    if (line.empty() || line.front() == '#') continue;
    const auto fail = [&](const char* why) {
      throw std::runtime_error(std::string(source) + ":" + std::to_string(number) + ": " + why);
    };
    const auto name_end = line.find_first_of(" \t");
    if (name_end == std::string_view::npos) fail("expected: name TXT \"value\"");
    const std::string_view name = line.substr(0, name_end);
    std::string_view rest = core::Trim(line.substr(name_end));
    if (rest.size() < 3 || !core::EqualsIgnoreCase(rest.substr(0, 3), "TXT") ||
        (rest.size() > 3 && rest[3] != ' ' && rest[3] != '\t')) {
      fail("only TXT records are supported");
    }
    std::string value;
    if (!ReadQuoted(rest.substr(3), value)) fail("the value must be one or more quoted strings");
    if (core::HasControlCharacters(value, "\t")) fail("control characters in the value");
    resolver.Add(name, std::move(value));
  }
  return resolver;
}

FixtureResolver LoadDnsFixtureFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("inbound.dns_fixture_file: cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return ParseDnsFixture(text.str(), path.string());
}

}  // namespace rampart::mail
