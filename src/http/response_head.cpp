#include "http/response_head.h"

#include <algorithm>

#include "core/strings.h"
#include "observability/metrics.h"

namespace rampart::http {
namespace {

bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
  }
}

bool SafeName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return IsTokenChar(static_cast<unsigned char>(c));
  });
}

bool SafeValue(std::string_view value) {
  return !core::HasControlCharacters(value, "\t");
}

bool IsFraming(std::string_view name) {
  return core::EqualsIgnoreCase(name, "Content-Length") ||
         core::EqualsIgnoreCase(name, "Transfer-Encoding") ||
         core::EqualsIgnoreCase(name, "Connection");
}

}  // namespace

std::string SerializeResponseHead(const Response& response, std::size_t content_length,
                                  bool keep_alive) {
  std::string head;
  head.reserve(1024);
  head.append("HTTP/1.1 ").append(std::to_string(response.status)).append(" ");
  head.append(ReasonPhrase(response.status)).append("\r\n");
  for (const auto& [name, value] : response.headers.All()) {
    if (IsFraming(name)) continue;
    if (!SafeName(name) || !SafeValue(value)) {
      metrics::Registry::Global().CountEvent("response_header_dropped", "unsafe_characters");
      continue;
    }
    head.append(name).append(": ").append(value).append("\r\n");
  }
  head.append("Content-Length: ").append(std::to_string(content_length)).append("\r\n");
  if (!keep_alive) head.append("Connection: close\r\n");
  head.append("\r\n");
  return head;
}

}  // namespace rampart::http
