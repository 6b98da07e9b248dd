#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// An email as the helpdesk needs it, parsed with GMime (which stays inside this module): every
// header, the addresses, the text and HTML bodies converted to UTF-8 from their charsets, and
// the attachments with RFC 2047/2231 names decoded.
namespace rampart::mime {

struct EmailLimits {
  std::size_t max_message_bytes = 25 * 1024 * 1024;
  std::size_t max_parts = 200;
  std::size_t max_headers = 500;
  std::size_t max_depth = 20;  // nested multiparts and message/rfc822
};

struct EmailAddress {
  std::string name;     // decoded display name, "" when none
  std::string address;  // "ana@customer.example", "" when the header held none
};

struct EmailAttachment {
  std::string filename;       // decoded, not yet normalized; "" when the part had none
  std::string declared_type;  // "image/png" as the sender claims it (never trusted)
  std::string content_id;     // without angle brackets, for cid: references in HTML
  bool is_inline = false;     // Content-Disposition: inline (an image inside the HTML)
  std::string bytes;          // transfer encoding removed
};

struct EmailMessage {
  std::vector<std::pair<std::string, std::string>> headers;  // raw (unfolded) values, in order
  std::string message_id;                                    // without angle brackets
  std::vector<std::string> in_reply_to;                      // ids without angle brackets
  std::vector<std::string> references;
  EmailAddress from;
  EmailAddress sender;
  std::vector<EmailAddress> to;
  std::vector<EmailAddress> cc;
  std::vector<EmailAddress> reply_to;
  std::string subject;    // decoded
  std::int64_t date = 0;  // seconds since the epoch, 0 when absent or unreadable
  std::string text_body;  // UTF-8; the text/plain part when there is one
  std::string html_body;  // UTF-8; unsanitized: never display it as it is
  std::vector<EmailAttachment> attachments;
  bool truncated = false;  // parts beyond the limits were left out

  // The first header of that name (case-insensitive), its raw value; "" when absent.
  std::string Header(std::string_view name) const;
  std::vector<std::string> Headers(std::string_view name) const;
};

enum class EmailError { kNone, kTooLarge, kNotAMessage };

struct ParsedEmail {
  EmailError error = EmailError::kNone;
  EmailMessage message;
};

ParsedEmail ParseEmail(std::string_view raw, const EmailLimits& limits = {});

// The ids inside a Message-ID, In-Reply-To or References value: "<a@b> <c@d>" gives {"a@b",
// "c@d"}. Bounded to the first 100.
std::vector<std::string> MessageIds(std::string_view value);

}  // namespace rampart::mime
