#include "support/web_session.h"

#include <cctype>
#include <cstdio>
#include <regex>

namespace rampart::testing {

std::string SetCookieLine(const HttpResponse& response, const std::string& name) {
  const auto [begin, end] = response.headers.equal_range("set-cookie");
  for (auto it = begin; it != end; ++it) {
    if (it->second.rfind(name + "=", 0) == 0) return it->second;
  }
  return "";
}

std::string CookieValue(const HttpResponse& response, const std::string& name) {
  const std::string line = SetCookieLine(response, name);
  if (line.empty()) return "";
  return line.substr(name.size() + 1, line.find(';') - name.size() - 1);
}

std::string CsrfField(const std::string& html) {
  std::smatch m;
  static const std::regex field(R"re(name="csrf_token" value="([^"]*)")re");
  return std::regex_search(html, m, field) ? m[1].str() : "";
}

std::string FormEncode(const std::string& value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace rampart::testing
