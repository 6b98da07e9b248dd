#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::mail {

struct SanitizeLimits {
  // Larger HTML is not rendered at all: the plain-text part stands in for it. gumbo parses at
  // about 8 MB/s here, so 2 MiB bounds the work one message can cause to a quarter second.
  std::size_t max_input_bytes = 2 * 1024 * 1024;
  // Markup nested deeper than this is cut off. Real mail nests tables a few dozen levels deep.
  int max_depth = 200;
  // More tags than this (counted as '<' before parsing) and the HTML is refused: it bounds the
  // size of the tree the parser builds and tears down.
  std::size_t max_tags = 100'000;
  // gumbo's time grows with the square of the nesting depth (measured: 50,000 nested <div>s
  // take 18 s), so before parsing, the depth is estimated from a scan of opening and closing
  // tags (void elements excluded) and deeper input is refused. The estimate is high for markup
  // that leaves <p> or <td> unclosed; such mail falls back to its plain text.
  std::size_t max_estimated_depth = 2'000;
};

struct SanitizedHtml {
  bool rendered = false;  // false: the input was refused (too large or too complex); html is empty
  std::string html;       // an HTML fragment made only of allowlisted elements and attributes
  bool has_remote_images = false;        // kept http(s) images; the viewing frame's CSP decides
  std::vector<std::string> content_ids;  // cid: references, resolved against the attachments
  std::size_t removed = 0;               // elements and attributes dropped or rewritten
  bool truncated = false;                // markup deeper than max_depth was cut off
};

// Sanitizes the HTML body of an email by parsing it as a browser would (gumbo, HTML5) and
// rebuilding it from an allowlist: only presentational elements survive; scripts, styles,
// frames, forms, embedded objects and foreign content (SVG, MathML) go with their contents;
// attributes are allowlisted per element with their values checked (numbers, colours, a
// reduced set of CSS properties without url() or expressions); links keep http, https and mailto
// and images http, https and cid only, after the parser has decoded entities. The output is
// still shown only inside a sandboxed frame with its own CSP: this is the first of two walls.
SanitizedHtml SanitizeHtml(std::string_view html, const SanitizeLimits& limits = {});

// The readable text of an HTML body, for mail that has no text/plain part: text nodes in
// document order, with line breaks for block elements; scripts and styles contribute nothing.
// "" when the HTML is refused by the same limits as SanitizeHtml.
std::string HtmlText(std::string_view html, const SanitizeLimits& limits = {});

}  // namespace rampart::mail
