// libFuzzer target for the inbound mail pipeline up to the database: MIME parsing, HTML
// sanitizing and text extraction, Authentication-Results parsing, reply-token and Message-ID
// extraction. The input is a whole message as it would arrive from IMAP or an MTA.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mail/auth/authentication_results.h"
#include "mail/auth/reply_token.h"
#include "mail/inbound/html_sanitizer.h"
#include "mime/email_message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rampart;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  mime::EmailLimits limits;
  limits.max_message_bytes = 256 * 1024;
  const mime::ParsedEmail parsed = mime::ParseEmail(raw, limits);
  const mime::EmailMessage& m = parsed.message;
  if (parsed.error == mime::EmailError::kTooLarge && raw.size() <= limits.max_message_bytes) {
    std::abort();
  }
  const mail::SanitizedHtml html = mail::SanitizeHtml(m.html_body);
  // What a browser parses from the output passes the allowlist whole: sanitizing it again
  // removes nothing. (The output need not be byte-identical after a second pass: HTML parsing
  // regroups some well-formed trees, such as a link inside a link, without adding anything.)
  if (html.rendered && mail::SanitizeHtml(html.html).removed != 0) std::abort();
  // No script element or event handler survives, whatever the input.
  if (html.html.find("<script") != std::string::npos) std::abort();
  (void)mail::HtmlText(m.html_body);
  for (const std::string& value : m.Headers("Authentication-Results")) {
    (void)mail::ParseAuthenticationResults(value);
  }
  for (const char* header : {"In-Reply-To", "References", "To", "Cc"}) {
    const std::string token = mail::FindReplyToken(m.Header(header));
    if (!token.empty() && token.rfind("rmp-", 0) != 0) std::abort();
  }
  (void)mime::MessageIds(m.Header("References"));
  return 0;
}
