#include "mail/inbound/inline_images.h"

#include <cctype>
#include <vector>

#include "core/strings.h"
#include "tickets/attachment_names.h"

namespace rampart::mail {
namespace {

int HexValue(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

// The attribute value as the sanitizer escaped it, back to its text: it writes only these four.
std::string Unescaped(std::string_view value) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    bool replaced = false;
    if (value[i] == '&') {
      for (const auto& [entity, ch] : kEntities) {
        if (value.substr(i, entity.size()) == entity) {
          out.push_back(ch);
          i += entity.size() - 1;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(value[i]);
  }
  return out;
}

// RFC 2392: a cid URL is the Content-ID with URL escapes.
std::string PercentDecoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool StartsWithCid(std::string_view value) {
  return value.size() >= 4 && core::ToLower(value.substr(0, 4)) == "cid:";
}

}  // namespace

std::string WithInlineImages(std::string_view html, const InlineImageUrls& urls) {
  if (urls.empty()) return std::string(html);
  static constexpr std::string_view kSrc = " src=\"";
  std::string out;
  out.reserve(html.size());
  std::size_t copied = 0;
  // The sanitizer escapes every < and > in text and attribute values, so a raw < opens one of
  // its tags and a raw > closes it: text that merely looks like src="cid:..." is never touched.
  bool in_tag = false;
  std::size_t at = 0;
  while (at < html.size()) {
    const char ch = html[at];
    if (ch == '<' || ch == '>') {
      in_tag = ch == '<';
      ++at;
      continue;
    }
    if (!in_tag || html.substr(at, kSrc.size()) != kSrc) {
      ++at;
      continue;
    }
    const std::size_t begin = at + kSrc.size();
    const std::size_t end = html.find('"', begin);
    if (end == std::string_view::npos) break;
    at = end + 1;  // a value holds no raw < or > either
    const std::string_view value = html.substr(begin, end - begin);
    if (!StartsWithCid(value)) continue;
    const auto url = urls.find(PercentDecoded(Unescaped(value.substr(4))));
    if (url == urls.end()) continue;
    out.append(html.substr(copied, begin - copied));
    out += url->second;
    copied = end;
  }
  out.append(html.substr(copied));
  return out;
}

InlineImageUrls InlineImagesOf(const auth::Actor& actor, storage::Database& db,
                               const tickets::AttachmentStore& files, std::int64_t message_id,
                               const InlineImageLimits& limits) {
  struct Candidate {
    std::string id;
    std::string content_id;
  };
  std::vector<Candidate> candidates;
  {
    storage::Lease c = db.Read();
    for (const storage::Row& r :
         c->Query("SELECT public_id, content_id, type, size FROM attachments "
                  "WHERE message_id = ? AND content_id IS NOT NULL ORDER BY id",
                  {message_id})) {
      if (!tickets::IsInlineImageType(r.Text(2)) || r.Int(3) > limits.max_image_bytes) continue;
      candidates.push_back({r.Text(0), r.Text(1)});
    }
  }
  InlineImageUrls urls;
  std::int64_t total = 0;
  for (const Candidate& candidate : candidates) {
    if (urls.contains(candidate.content_id)) continue;  // the first part with that id wins
    tickets::AttachmentContent content = tickets::OpenAttachment(actor, db, files, candidate.id);
    // The type is the one sniffed when the file was stored; checked again on what was read.
    if (!tickets::IsInlineImageType(content.info.type)) continue;
    total += static_cast<std::int64_t>(content.bytes.size());
    if (total > limits.max_total_bytes) break;
    urls.emplace(candidate.content_id,
                 "data:" + content.info.type + ";base64," + core::Base64Encode(content.bytes));
  }
  return urls;
}

}  // namespace rampart::mail
