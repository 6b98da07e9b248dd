#pragma once
#include <string>
#include <string_view>

// What a client calls its file, made safe to keep and to show. The name is only ever a label:
// stored files have random names, so nothing here is a defence of the file system.
namespace rampart::tickets {

inline constexpr std::size_t kMaxFilenameChars = 150;
inline constexpr char kFallbackFilename[] = "attachment";

// Invalid UTF-8 dropped; NFKC (so look-alike full-width slashes and ligatures become what they
// look like before anything else is checked); control, format (bidi overrides U+202E, isolates
// U+2066..U+2069, zero-width characters), line and paragraph separators and private-use
// characters removed; only the part after the last '/' or '\' kept (old browsers send a whole
// path); surrounding spaces trimmed; at most kMaxFilenameChars characters, the extension kept
// when it is short. A name that ends up empty or only dots becomes "attachment".
std::string NormalizeFilename(std::string_view raw);

// A Content-Disposition value for a normalized name: an ASCII `filename` for old clients
// (anything else replaced by '_') and the exact name as RFC 5987 `filename*`.
std::string ContentDisposition(std::string_view filename, bool inline_display);

// Raster images a browser may show inline: png, jpeg, gif, webp. Never SVG (script) or HTML.
bool IsInlineImageType(std::string_view sniffed_type);

}  // namespace rampart::tickets
