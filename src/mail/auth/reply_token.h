#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/secret_box.h"

namespace rampart::mail {

// Ties a reply by mail to the ticket and the person it was sent to. Our outgoing Message-ID and
// Reply-To carry "rmp-<ticket number>-<mac>", the mac being 128 bits of HMAC-SHA-256 (under a
// subkey of server.key) over the ticket number and the recipient's address. A subject tag or a
// References header can be copied by anyone; this token can only come from a message we sent to
// that recipient, and it proves nothing when it arrives from another address.
class ReplyTokens {
 public:
  explicit ReplyTokens(const auth::ServerKey& key) : key_(key) {}

  // "rmp-1042-<26 base32 characters>"; the address is compared case-insensitively.
  std::string Make(std::int64_t ticket_number, std::string_view recipient) const;

  // The ticket number when `token` is one we made for `sender`, else nullopt. Constant-time in
  // the mac comparison.
  std::optional<std::int64_t> Verify(std::string_view token, std::string_view sender) const;

 private:
  std::string Mac(std::int64_t ticket_number, std::string_view recipient) const;
  const auth::ServerKey& key_;
};

// The first thing shaped like a reply token in a header value (a Message-ID, In-Reply-To,
// References or a recipient address such as "support+rmp-1042-...@example.com"); "" if none.
std::string FindReplyToken(std::string_view header_value);

}  // namespace rampart::mail
