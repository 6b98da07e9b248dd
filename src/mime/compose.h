#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace rampart::mime {

struct OutgoingAddress {
  std::string name;     // display name, any UTF-8 (encoded as RFC 2047 when needed)
  std::string address;  // must be a plain address: refused when it holds controls or brackets
};

struct OutgoingEmail {
  OutgoingAddress from;
  std::vector<OutgoingAddress> to;
  std::vector<OutgoingAddress> cc;
  std::vector<OutgoingAddress> reply_to;
  std::string subject;                   // any UTF-8; line breaks become spaces
  std::string message_id;                // without brackets; ours, made by the caller
  std::vector<std::string> in_reply_to;  // ids without brackets
  std::vector<std::string> references;
  std::int64_t date = 0;        // seconds since the epoch
  std::string text_body;        // UTF-8 plain text
  std::string html_body;        // UTF-8 HTML alternative, "" for text only
  bool auto_submitted = false;  // notifications: "Auto-Submitted: auto-generated"
};

// Why a message could not be built; nothing is sent for it.
struct ComposeError {
  std::string field;  // "to", "message_id", ...
  std::string reason;
};

struct ComposedEmail {
  std::vector<ComposeError> errors;  // empty when `bytes` is the message
  std::string bytes;                 // CRLF line ends, 7-bit clean, ready to DKIM-sign
};

// Builds the message with GMime. No value supplied by a user can reach a header raw: names and
// subjects are RFC 2047-encoded with line breaks folded to spaces, addresses and message ids
// with control characters, spaces or brackets are refused, bodies are quoted-printable UTF-8.
ComposedEmail ComposeEmail(const OutgoingEmail& email);

}  // namespace rampart::mime
