#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authorize.h"
#include "auth/password_hash.h"
#include "auth/secret_box.h"
#include "auth/sessions.h"
#include "storage/database.h"
#include "tickets/admin_store.h"

// Who may create an end-user account through the portal, and how.
//
// Sign-up never reveals whether an address has an account. The form asks only for an email
// and always answers the same way ("check your email"), and writes one mail to the outbox:
// for a new address, a single-use link to finish signing up (name and password), valid for a
// day; for an address that has an account, a note saying so with the way to sign in. The
// account is created, and signed in with a fresh session, only by someone who opened the link,
// which proves they read that mailbox. Requests are throttled per address and per client
// before anything is looked up, so the throttle does not tell the two cases apart either.
//
// Invitations work the same way: an admin (settings.helpdesk) names an address, which gets a
// single-use link valid for 7 days; they work in every sign-up mode. Only keyed hashes of the
// links' tokens are stored (auth::KeyedHash, purpose kPortalInvite).
namespace rampart::tickets {

enum class SignUpMode { kOpen, kDomains, kInviteOnly };
std::string_view SignUpModeName(SignUpMode mode);  // "open", "domains", "invite_only"
std::optional<SignUpMode> ParseSignUpMode(std::string_view name);

inline constexpr std::size_t kMaxSignUpDomains = 50;
inline constexpr std::int64_t kInviteLifetimeSeconds = 7 * 24 * 3600;
inline constexpr std::int64_t kSignUpLinkLifetimeSeconds = 24 * 3600;

struct PortalSettings {
  SignUpMode mode = SignUpMode::kInviteOnly;  // closed until an admin opens it
  std::vector<std::string> domains;           // kDomains: lower-case, exact matches
};

// The settings as the public sign-up pages apply them (no actor: they are not secret).
PortalSettings ReadPortalSettings(storage::Database& db);
PortalSettings GetPortalSettings(const auth::Actor& actor, storage::Database& db);
// `domains`: one per line or separated by commas or spaces. core::Invalid naming "mode" or
// "domains".
void SavePortalSettings(const auth::Actor& actor, storage::Database& db, SignUpMode mode,
                        std::string_view domains, std::int64_t now);

// Trimmed and lower-cased: the form in which addresses are compared and stored at sign-up.
std::string NormalizeEmail(std::string_view email);
// Whether open sign-up (not an invitation) may create an account for `email`.
bool SignUpAllows(const PortalSettings& settings, std::string_view normalized_email);

struct Invitation {
  std::string email;
  std::string link;  // the path to open, with the token: shown once, stored only hashed
  std::int64_t expires_at = 0;
};
Invitation InviteEndUser(const auth::Actor& actor, storage::Database& db,
                         const auth::ServerKey& key, std::string_view email, std::int64_t now);
std::vector<InviteRow> ListPendingInvites(const auth::Actor& actor, storage::Database& db,
                                          std::int64_t now);

struct SignUpRequest {
  std::string email;
  std::string client_address;
};
enum class SignUpAnswer { kCheckYourEmail, kThrottled };
// The first step of open sign-up. core::Forbidden when the mode is invite-only; core::Invalid
// on "email" for a malformed address or one outside the listed domains (which depends on the
// address alone, not on whether it has an account).
SignUpAnswer RequestSignUp(storage::Database& db, const auth::ServerKey& key,
                           const SignUpRequest& request, std::int64_t now);

// The address a link is for, when the link is valid (known, unused, unexpired, and for a
// sign-up link, still allowed by the current mode).
std::optional<std::string> LinkEmail(storage::Database& db, const auth::ServerKey& key,
                                     std::string_view token, std::int64_t now);

struct CompleteSignUpRequest {
  std::string token;
  std::string name;
  std::string password;
  std::string client_address;
  std::string user_agent;
};
struct SignedUp {
  std::int64_t user_id = 0;
  std::string session_token;  // a fresh session's cookie value
};
// Creates the end user named by a valid link, applying the end-user password policy, uses up
// the link and opens a new session, all in one transaction. core::Invalid on "token" (invalid,
// used or expired link), "name" or "password".
SignedUp CompleteSignUp(storage::Database& db, const auth::ServerKey& key,
                        const auth::HashCost& cost, const auth::SessionTimeouts& timeouts,
                        const CompleteSignUpRequest& request, std::int64_t now);

}  // namespace rampart::tickets
