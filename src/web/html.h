#pragma once
#include <string>
#include <string_view>

namespace rampart::web {

// HTML that is safe to emit without escaping. Only the functions below make one, each from
// escaped text, so the template opt-out {{X:none}} is used for TrustedHtml values only.
struct TrustedHtml {
  std::string html;
};

std::string EscapeHtml(std::string_view text);
// A search snippet: the text escaped, then the match markers (\x02, \x03) turned into <mark>.
TrustedHtml HighlightSnippet(std::string_view snippet, char start_marker, char end_marker);

}  // namespace rampart::web
