#include "web/html.h"

namespace rampart::web {

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out.append("&amp;"); break;
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      case '"': out.append("&quot;"); break;
      case '\'': out.append("&#39;"); break;
      default: out.push_back(c);
    }
  }
  return out;
}

TrustedHtml HighlightSnippet(std::string_view snippet, char start_marker, char end_marker) {
  const std::string escaped = EscapeHtml(snippet);
  TrustedHtml out;
  bool open = false;
  for (char c : escaped) {
    if (c == start_marker && !open) {
      out.html.append("<mark>");
      open = true;
    } else if (c == end_marker && open) {
      out.html.append("</mark>");
      open = false;
    } else if (c != start_marker && c != end_marker) {
      out.html.push_back(c);
    }
  }
  if (open) out.html.append("</mark>");
  return out;
}

}  // namespace rampart::web
