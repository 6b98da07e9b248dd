#include "mail/inbound/html_sanitizer.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

namespace rampart::mail {
namespace {

// What happens to an element: kept (with filtered attributes), unwrapped (its children stay,
// the tag goes), or dropped with everything inside it.
enum class Fate { kKeep, kUnwrap, kDrop };

constexpr std::array kKeptTags = std::to_array<std::string_view>({
    "a",          "abbr",   "address", "article", "aside", "b",       "bdi",   "big",
    "blockquote", "br",     "caption", "center",  "cite",  "code",    "col",   "colgroup",
    "dd",         "del",    "details", "dfn",     "div",   "dl",      "dt",    "em",
    "figcaption", "figure", "font",    "footer",  "h1",    "h2",      "h3",    "h4",
    "h5",         "h6",     "header",  "hr",      "i",     "img",     "ins",   "kbd",
    "li",         "main",   "mark",    "nav",     "ol",    "p",       "pre",   "q",
    "rp",         "rt",     "ruby",    "s",       "samp",  "section", "small", "span",
    "strike",     "strong", "sub",     "summary", "sup",   "table",   "tbody", "td",
    "tfoot",      "th",     "thead",   "time",    "tr",    "tt",      "u",     "ul",
    "var",        "wbr",
});

// Gone with their contents: active content, styles, frames, form controls whose text is not
// message text, document metadata, media that would load from elsewhere.
constexpr std::array kDroppedTags = std::to_array<std::string_view>({
    "applet", "area",     "audio",    "base",      "canvas",   "datalist", "dialog", "embed",
    "frame",  "frameset", "head",     "iframe",    "input",    "keygen",   "link",   "map",
    "math",   "meta",     "meter",    "noembed",   "noframes", "noscript", "object", "optgroup",
    "option", "output",   "param",    "plaintext", "progress", "script",   "select", "source",
    "style",  "svg",      "template", "textarea",  "title",    "track",    "video",  "xmp",
});

constexpr std::array kVoidTags = std::to_array<std::string_view>({"br", "col", "hr", "img", "wbr"});

template <std::size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view name) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

// Which checker an attribute's value goes through.
enum class ValueKind {
  kText,
  kNumber,
  kLength,
  kColor,
  kWord,
  kDir,
  kFontFace,
  kStyle,
  kLink,
  kImage
};

struct AttributeRule {
  std::string_view tag;  // "" for every kept element
  std::string_view name;
  ValueKind kind;
};

constexpr std::array kAttributeRules = std::to_array<AttributeRule>({
    {"", "title", ValueKind::kText},
    {"", "lang", ValueKind::kWord},
    {"", "dir", ValueKind::kDir},
    {"", "align", ValueKind::kWord},
    {"", "valign", ValueKind::kWord},
    {"", "style", ValueKind::kStyle},
    {"", "width", ValueKind::kLength},
    {"", "height", ValueKind::kLength},
    {"a", "href", ValueKind::kLink},
    {"img", "src", ValueKind::kImage},
    {"img", "alt", ValueKind::kText},
    {"img", "border", ValueKind::kNumber},
    {"table", "border", ValueKind::kNumber},
    {"table", "cellpadding", ValueKind::kNumber},
    {"table", "cellspacing", ValueKind::kNumber},
    {"table", "bgcolor", ValueKind::kColor},
    {"tr", "bgcolor", ValueKind::kColor},
    {"td", "bgcolor", ValueKind::kColor},
    {"td", "colspan", ValueKind::kNumber},
    {"td", "rowspan", ValueKind::kNumber},
    {"td", "nowrap", ValueKind::kWord},
    {"th", "bgcolor", ValueKind::kColor},
    {"th", "colspan", ValueKind::kNumber},
    {"th", "rowspan", ValueKind::kNumber},
    {"th", "scope", ValueKind::kWord},
    {"col", "span", ValueKind::kNumber},
    {"colgroup", "span", ValueKind::kNumber},
    {"font", "color", ValueKind::kColor},
    {"font", "size", ValueKind::kNumber},
    {"font", "face", ValueKind::kFontFace},
    {"ol", "start", ValueKind::kNumber},
    {"li", "value", ValueKind::kNumber},
});

// CSS properties that only change how text and boxes look. Left out on purpose: position,
// float and z-index (content drawn over the page to imitate it), anything taking an image, and
// every property that can carry a url().
constexpr std::array kStyleProperties = std::to_array<std::string_view>({
    "background-color", "border",         "border-bottom",  "border-collapse", "border-color",
    "border-left",      "border-radius",  "border-right",   "border-spacing",  "border-style",
    "border-top",       "border-width",   "color",          "direction",       "font",
    "font-family",      "font-size",      "font-style",     "font-variant",    "font-weight",
    "height",           "letter-spacing", "line-height",    "list-style-type", "margin",
    "margin-bottom",    "margin-left",    "margin-right",   "margin-top",      "max-width",
    "min-width",        "padding",        "padding-bottom", "padding-left",    "padding-right",
    "padding-top",      "table-layout",   "text-align",     "text-decoration", "text-indent",
    "text-transform",   "vertical-align", "white-space",    "width",           "word-break",
    "word-spacing",
});

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20) s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20) s.remove_suffix(1);
  return s;
}

bool AllOf(std::string_view s, std::string_view allowed_punctuation, std::size_t max_length) {
  if (s.empty() || s.size() > max_length) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           allowed_punctuation.find(c) != std::string_view::npos;
  });
}

bool IsDigits(std::string_view s) {
  return !s.empty() && s.size() <= 6 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The scheme of a URL as a browser would read it: tabs and newlines inside are ignored by
// browsers ("java\tscript:"), so they are removed before looking; any other control character
// makes the URL unacceptable. Returns the cleaned URL, or "" when it has no allowed scheme.
std::string CheckedUrl(std::string_view raw, std::initializer_list<std::string_view> schemes) {
  std::string url;
  for (char c : Trim(raw)) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (u < 0x20 || u == 0x7f) return {};
    url.push_back(c);
  }
  const auto colon = url.find(':');
  if (colon == std::string::npos || colon == 0) return {};  // relative: meaningless in mail
  if (url.find_first_of("/?#") < colon) return {};
  const std::string scheme = Lower(std::string_view(url).substr(0, colon));
  for (std::string_view allowed : schemes) {
    if (scheme == allowed) return url;
  }
  return {};
}

// Parentheses only as colour functions: rgb(), rgba(), hsl(), hsla(). That excludes url(),
// expression(), image-set() and every other function, whatever its spelling.
bool OnlyColourFunctions(std::string_view value) {
  for (std::size_t open = value.find('('); open != std::string_view::npos;
       open = value.find('(', open + 1)) {
    std::size_t begin = open;
    while (begin > 0 && std::isalpha(static_cast<unsigned char>(value[begin - 1])) != 0) --begin;
    const std::string_view function = value.substr(begin, open - begin);
    if (function != "rgb" && function != "rgba" && function != "hsl" && function != "hsla") {
      return false;
    }
  }
  return true;
}

// Keeps the allowlisted declarations of a style attribute whose values are plain: words,
// numbers, lengths, colours, quoted font names. Anything that can fetch or run (url(),
// expression(), image functions, escapes that could spell them, at-rules) drops the declaration.
std::string FilteredStyle(std::string_view style) {
  std::string out;
  std::size_t start = 0;
  while (start <= style.size()) {
    std::size_t end = style.find(';', start);
    if (end == std::string_view::npos) end = style.size();
    const std::string_view declaration = style.substr(start, end - start);
    start = end + 1;
    const auto colon = declaration.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string property = Lower(Trim(declaration.substr(0, colon)));
    const std::string value = Lower(Trim(declaration.substr(colon + 1)));
    if (!In(kStyleProperties, property) || value.empty() || value.size() > 200) continue;
    if (!AllOf(value, " #%.,-+!'\"()", 200) || !OnlyColourFunctions(value)) continue;
    if (!out.empty()) out += "; ";
    out += property;
    out += ": ";
    out += value;
  }
  return out;
}

// Escapes text for HTML. Control characters (C0 but tab and line breaks, DEL, C1) are left out:
// they mean nothing in mail, and a browser's parser would rewrite some of them, so the page
// would not show what was checked.
void AppendEscaped(std::string& out, std::string_view text, bool in_attribute) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) continue;
    if (u == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) {  // U+0080..U+009F
        ++i;
        continue;
      }
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"':
        if (in_attribute) {
          out += "&quot;";
        } else {
          out += c;
        }
        break;
      default: out += c;
    }
  }
}

class Sanitizer {
 public:
  Sanitizer(const SanitizeLimits& limits, SanitizedHtml& result)
      : limits_(limits), result_(result) {}

  void Children(const GumboVector& children, int depth) {
    for (unsigned i = 0; i < children.length; ++i) {
      Node(*static_cast<const GumboNode*>(children.data[i]), depth);
    }
  }

 private:
  void Node(const GumboNode& node, int depth) {
    switch (node.type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE: AppendEscaped(result_.html, node.v.text.text, false); return;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: Element(node, depth); return;
      default:  // comments (conditional comments included), CDATA, the document
        ++result_.removed;
        return;
    }
  }

  void Element(const GumboNode& node, int depth) {
    const GumboElement& element = node.v.element;
    if (depth >= limits_.max_depth) {
      result_.truncated = true;
      return;
    }
    const std::string name = TagName(node);
    const Fate fate = FateOf(element, name, node.type);
    if (fate == Fate::kDrop) {
      ++result_.removed;
      return;
    }
    if (fate == Fate::kUnwrap) {
      ++result_.removed;
      Children(element.children, depth + 1);
      return;
    }
    if (name == "img" && !HasUsableSource(element)) {  // an image with nothing to show
      ++result_.removed;
      return;
    }
    result_.html += '<';
    result_.html += name;
    Attributes(element, name);
    result_.html += '>';
    if (In(kVoidTags, name)) return;
    Children(element.children, depth + 1);
    result_.html += "</";
    result_.html += name;
    result_.html += '>';
  }

  static bool HasUsableSource(const GumboElement& element) {
    const GumboAttribute* src = gumbo_get_attribute(&element.attributes, "src");
    return src != nullptr && !CheckedUrl(src->value, {"http", "https", "cid"}).empty();
  }

  static std::string TagName(const GumboNode& node) {
    const GumboElement& element = node.v.element;
    if (element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(element.tag);
    GumboStringPiece original = element.original_tag;
    gumbo_tag_from_original_text(&original);
    return Lower(std::string_view(original.data, original.length));
  }

  static Fate FateOf(const GumboElement& element, const std::string& name, GumboNodeType type) {
    if (element.tag_namespace != GUMBO_NAMESPACE_HTML || type == GUMBO_NODE_TEMPLATE) {
      return Fate::kDrop;
    }
    if (In(kDroppedTags, name)) return Fate::kDrop;
    if (In(kKeptTags, name)) return Fate::kKeep;
    return Fate::kUnwrap;  // html, body, form, label, button, unknown tags: their text stays
  }

  void Attributes(const GumboElement& element, const std::string& tag) {
    for (unsigned i = 0; i < element.attributes.length; ++i) {
      const auto& attribute = *static_cast<const GumboAttribute*>(element.attributes.data[i]);
      const std::string name = Lower(attribute.name);
      // Links always get our own rel and target (below); the sender's are replaced, not lost.
      if (tag == "a" && (name == "rel" || name == "target")) continue;
      const AttributeRule* rule = RuleFor(tag, name);
      std::string value = rule != nullptr ? Checked(*rule, attribute.value) : std::string();
      if (value.empty()) {
        ++result_.removed;
        continue;
      }
      result_.html += ' ';
      result_.html += name;
      result_.html += "=\"";
      AppendEscaped(result_.html, value, true);
      result_.html += '"';
    }
    if (tag == "a") result_.html += " rel=\"noopener noreferrer nofollow\" target=\"_blank\"";
  }

  static const AttributeRule* RuleFor(std::string_view tag, std::string_view name) {
    for (const AttributeRule& rule : kAttributeRules) {
      if ((rule.tag.empty() || rule.tag == tag) && rule.name == name) return &rule;
    }
    return nullptr;
  }

  // The value to write, or "" to drop the attribute.
  std::string Checked(const AttributeRule& rule, std::string_view raw) {
    const std::string_view value = Trim(raw);
    switch (rule.kind) {
      case ValueKind::kText: return std::string(value.substr(0, 500));
      case ValueKind::kNumber: return IsDigits(value) ? std::string(value) : std::string();
      case ValueKind::kLength: {
        std::string_view digits = value;
        if (!digits.empty() && (digits.back() == '%')) digits.remove_suffix(1);
        if (digits.size() > 2 && digits.substr(digits.size() - 2) == "px") digits.remove_suffix(2);
        return IsDigits(digits) ? std::string(value) : std::string();
      }
      case ValueKind::kColor: return AllOf(value, "#", 20) ? std::string(value) : std::string();
      case ValueKind::kWord: return AllOf(value, "-", 35) ? std::string(value) : std::string();
      case ValueKind::kDir: {
        const std::string lower = Lower(value);
        return lower == "ltr" || lower == "rtl" || lower == "auto" ? lower : std::string();
      }
      case ValueKind::kFontFace:
        return AllOf(value, " ,-'\"", 100) ? std::string(value) : std::string();
      case ValueKind::kStyle: return FilteredStyle(value);
      case ValueKind::kLink: return CheckedUrl(value, {"http", "https", "mailto"});
      case ValueKind::kImage: {
        std::string url = CheckedUrl(value, {"http", "https", "cid"});
        if (url.empty()) return url;
        if (Lower(std::string_view(url).substr(0, 4)) == "cid:") {
          result_.content_ids.push_back(url.substr(4));
        } else {
          result_.has_remote_images = true;
        }
        return url;
      }
    }
    return {};
  }

  const SanitizeLimits& limits_;
  SanitizedHtml& result_;
};

// An upper bound of the nesting depth, from the tags alone: each opening tag of a non-void
// element one level down, each closing tag one up. Cheap and never below the real depth,
// except for what the parser nests on its own (a few levels for tables and documents).
std::size_t EstimatedDepth(std::string_view html) {
  static constexpr std::array kVoid =
      std::to_array<std::string_view>({"area", "base", "br", "col", "embed", "hr", "img", "input",
                                       "link", "meta", "param", "source", "track", "wbr"});
  std::size_t depth = 0;
  std::size_t deepest = 0;
  for (std::size_t at = html.find('<'); at != std::string_view::npos; at = html.find('<', at + 1)) {
    const std::string_view rest = html.substr(at + 1);
    if (!rest.empty() && rest.front() == '/') {
      if (depth > 0) --depth;
      continue;
    }
    std::size_t length = 0;
    while (length < rest.size() && length < 10 &&
           std::isalnum(static_cast<unsigned char>(rest[length])) != 0) {
      ++length;
    }
    if (length == 0) continue;
    if (In(kVoid, Lower(rest.substr(0, length)))) continue;
    deepest = std::max(deepest, ++depth);
  }
  return deepest;
}

const GumboNode* FindBody(const GumboNode& root) {
  const GumboVector& children = root.v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_BODY) return child;
  }
  return nullptr;
}

void AppendText(const GumboNode& node, std::string& out, int depth, int max_depth) {
  if (depth > max_depth) return;
  if (node.type == GUMBO_NODE_TEXT || node.type == GUMBO_NODE_WHITESPACE) {
    out += node.v.text.text;
    return;
  }
  if (node.type != GUMBO_NODE_ELEMENT) return;
  const GumboElement& element = node.v.element;
  const std::string name = gumbo_normalized_tagname(element.tag);
  if (element.tag_namespace != GUMBO_NAMESPACE_HTML || In(kDroppedTags, name)) return;
  static constexpr std::array kBlocks =
      std::to_array<std::string_view>({"address", "blockquote", "br", "div", "h1", "h2", "h3", "h4",
                                       "h5", "h6", "hr", "li", "p", "pre", "table", "tr"});
  const bool block = In(kBlocks, name);
  if (block && !out.empty() && out.back() != '\n') out += '\n';
  for (unsigned i = 0; i < element.children.length; ++i) {
    AppendText(*static_cast<const GumboNode*>(element.children.data[i]), out, depth + 1, max_depth);
  }
  if (block && !out.empty() && out.back() != '\n') out += '\n';
}

}  // namespace

SanitizedHtml SanitizeHtml(std::string_view html, const SanitizeLimits& limits) {
  SanitizedHtml result;
  if (html.size() > limits.max_input_bytes) return result;
  if (static_cast<std::size_t>(std::count(html.begin(), html.end(), '<')) > limits.max_tags) {
    return result;
  }
  if (EstimatedDepth(html) > limits.max_estimated_depth) return result;
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // the error list is not used; don't let hostile input grow it
  const auto destroy = [](GumboOutput* output) {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  };
  std::unique_ptr<GumboOutput, decltype(destroy)> output(
      gumbo_parse_with_options(&options, html.data(), html.size()), destroy);
  if (!output) return result;
  result.rendered = true;
  const GumboNode* body = FindBody(*output->root);
  if (body == nullptr) return result;
  Sanitizer(limits, result).Children(body->v.element.children, 0);
  // White space before the first element means nothing to a browser, and a parser drops it
  // ("before html" mode): removed, so that sanitizing the output again gives the same output.
  result.html.erase(0, result.html.find_first_not_of(" \t\n\r\f"));
  return result;
}

std::string HtmlText(std::string_view html, const SanitizeLimits& limits) {
  if (html.size() > limits.max_input_bytes ||
      static_cast<std::size_t>(std::count(html.begin(), html.end(), '<')) > limits.max_tags ||
      EstimatedDepth(html) > limits.max_estimated_depth) {
    return {};
  }
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  const auto destroy = [](GumboOutput* output) {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  };
  std::unique_ptr<GumboOutput, decltype(destroy)> output(
      gumbo_parse_with_options(&options, html.data(), html.size()), destroy);
  if (!output) return {};
  const GumboNode* body = FindBody(*output->root);
  std::string text;
  if (body != nullptr) AppendText(*body, text, 0, limits.max_depth);
  // Trim the ends; inner line breaks stay.
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace rampart::mail
