#pragma once
// Images an HTML mail carries in its own parts, shown in the message frame. The frame is a
// sandboxed document that fetches nothing from us (its CSP allows images only from data: and,
// when the viewer asks, https:), so each image the HTML references by `cid:` is written into
// the document as a data: URL built from the stored, type-sniffed attachment.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/attachments.h"

namespace rampart::mail {

// Bounds on what one message frame embeds: beyond them the rest stay as broken images (the
// files are still listed with the message and can be downloaded).
struct InlineImageLimits {
  std::int64_t max_image_bytes = 2 * 1024 * 1024;
  std::int64_t max_total_bytes = 8 * 1024 * 1024;
};

// Content-ID (without angle brackets) -> the data: URL to show in its place.
using InlineImageUrls = std::map<std::string, std::string, std::less<>>;

// `html` as mail::SanitizeHtml wrote it, with every `src="cid:ID"` whose ID (percent-decoded,
// RFC 2392) is in `urls` pointing at that URL instead. Other attributes and references are
// left as they are. The URLs must be ours (data:image/...;base64,...): they are not escaped.
std::string WithInlineImages(std::string_view html, const InlineImageUrls& urls);

// The data: URLs for message `message_id`'s raster image files that came with a Content-ID,
// read through tickets::OpenAttachment for `actor` (so the ticket's rules apply once more).
// Only PNG, JPEG, GIF and WebP by their sniffed type; within `limits`.
InlineImageUrls InlineImagesOf(const auth::Actor& actor, storage::Database& db,
                               const tickets::AttachmentStore& files, std::int64_t message_id,
                               const InlineImageLimits& limits = {});

}  // namespace rampart::mail
