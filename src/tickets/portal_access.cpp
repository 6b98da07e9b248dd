#include "tickets/portal_access.h"

#include <algorithm>

#include "auth/password_policy.h"
#include "auth/throttle.h"
#include "auth/users.h"
#include "core/errors.h"
#include "core/random.h"
#include "core/strings.h"
#include "tickets/policy.h"
#include "tickets/text_rules.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

constexpr const char* kModeKey = "portal.sign_up_mode";
constexpr const char* kDomainsKey = "portal.sign_up_domains";
constexpr const char* kCompletePath = "/signup/complete?token=";

// A mail bomb through the sign-up form is bounded: from the 3rd request for one address within
// a day, each further one waits a minute, doubling to an hour; one client gets 20 before that.
auth::ThrottlePolicy AddressThrottle() {
  auth::ThrottlePolicy p;
  p.client = {3, 60, 3600, auth::kHardLockFailures, 3600};
  return p;
}
auth::ThrottlePolicy ClientThrottle() {
  auth::ThrottlePolicy p;
  p.client = {20, 60, 3600, auth::kHardLockFailures, 3600};
  return p;
}

PortalSettings Load(storage::Connection& c) {
  PortalSettings s;
  if (const auto mode = SelectSetting(c, kModeKey)) {
    s.mode = ParseSignUpMode(*mode).value_or(SignUpMode::kInviteOnly);
  }
  if (const auto domains = SelectSetting(c, kDomainsKey)) {
    for (std::string_view d : core::Split(*domains, '\n')) {
      if (!d.empty()) s.domains.emplace_back(d);
    }
  }
  return s;
}

std::string CheckDomain(std::string_view raw) {
  std::string d = core::ToLower(raw);
  if (!d.empty() && d.front() == '@') d.erase(0, 1);
  const bool chars_ok = std::all_of(d.begin(), d.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
  if (d.empty() || d.size() > 253 || !chars_ok || d.find('.') == std::string::npos ||
      d.front() == '.' || d.back() == '.' || d.find("..") != std::string::npos) {
    throw core::Invalid("domains", "\"" + std::string(raw.substr(0, 100)) +
                                       "\" is not a domain name like example.com");
  }
  return d;
}

std::string DomainOf(std::string_view email) {
  const auto at = email.rfind('@');
  return at == std::string_view::npos ? "" : std::string(email.substr(at + 1));
}

std::string TokenHash(const auth::ServerKey& key, std::string_view token) {
  return auth::KeyedHash(key, auth::HashPurpose::kPortalInvite, token);
}

std::string ThrottleName(const auth::ServerKey& key, std::string_view email) {
  const std::string digest =
      auth::KeyedHash(key, auth::HashPurpose::kThrottleName, "sign_up:" + std::string(email));
  return "sign_up:" + core::HexEncode(std::string_view(digest).substr(0, 16));
}

std::string CheckedEmail(std::string_view raw) {
  if (raw.size() > 254) throw core::Invalid("email", "must be at most 254 characters");
  std::string email = NormalizeEmail(raw);
  if (const std::string p = auth::EmailProblem(email); !p.empty()) {
    throw core::Invalid("email", p);
  }
  return email;
}

// The link row, when usable now.
std::optional<InviteRow> UsableLink(storage::Connection& c, const auth::ServerKey& key,
                                    std::string_view token, std::int64_t now) {
  // Tokens are 43 characters of base64url; anything else is refused before hashing.
  if (token.size() != 43) return std::nullopt;
  auto row = SelectInvite(c, TokenHash(key, token));
  if (!row || row->used_at || row->expires_at <= now) return std::nullopt;
  // A sign-up link follows the mode of the moment it is used: closing sign-up closes it too.
  if (row->kind == "sign_up" && !SignUpAllows(Load(c), row->email)) return std::nullopt;
  return row;
}

}  // namespace

std::string_view SignUpModeName(SignUpMode mode) {
  switch (mode) {
    case SignUpMode::kOpen: return "open";
    case SignUpMode::kDomains: return "domains";
    case SignUpMode::kInviteOnly: return "invite_only";
  }
  return "invite_only";
}

std::optional<SignUpMode> ParseSignUpMode(std::string_view name) {
  for (SignUpMode m : {SignUpMode::kOpen, SignUpMode::kDomains, SignUpMode::kInviteOnly}) {
    if (name == SignUpModeName(m)) return m;
  }
  return std::nullopt;
}

PortalSettings ReadPortalSettings(storage::Database& db) {
  storage::Lease c = db.Read();
  return Load(*c);
}

PortalSettings GetPortalSettings(const auth::Actor& actor, storage::Database& db) {
  RequirePermission(actor, auth::Permission::kSettingsHelpdesk);
  return ReadPortalSettings(db);
}

void SavePortalSettings(const auth::Actor& actor, storage::Database& db, SignUpMode mode,
                        std::string_view domains, std::int64_t now) {
  RequirePermission(actor, auth::Permission::kSettingsHelpdesk);
  if (domains.size() > 16 * 1024) throw core::Invalid("domains", "are too long");
  std::vector<std::string> list;
  std::string text(domains);
  std::replace_if(
      text.begin(), text.end(),
      [](char c) { return c == ',' || c == ' ' || c == '\r' || c == '\t'; }, '\n');
  for (std::string_view d : core::Split(text, '\n')) {
    if (d.empty()) continue;
    std::string checked = CheckDomain(d);
    if (std::find(list.begin(), list.end(), checked) == list.end()) list.push_back(checked);
  }
  if (list.size() > kMaxSignUpDomains) throw core::Invalid("domains", "may be at most 50");
  if (mode == SignUpMode::kDomains && list.empty()) {
    throw core::Invalid("domains", "list at least one domain for this mode");
  }
  std::string joined;
  for (const auto& d : list) joined.append(joined.empty() ? "" : "\n").append(d);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  UpsertSetting(*c, kModeKey, std::string(SignUpModeName(mode)));
  UpsertSetting(*c, kDomainsKey, joined);
  AppendAudit(*c, now, ActorUserId(actor), "portal.settings_changed", "portal",
              "sign_up_mode=" + std::string(SignUpModeName(mode)) +
                  " domains=" + std::to_string(list.size()));
  tx.Commit();
}

std::string NormalizeEmail(std::string_view email) {
  return core::ToLower(core::Trim(email));
}

bool SignUpAllows(const PortalSettings& settings, std::string_view normalized_email) {
  switch (settings.mode) {
    case SignUpMode::kOpen: return true;
    case SignUpMode::kInviteOnly: return false;
    case SignUpMode::kDomains: {
      const std::string domain = DomainOf(normalized_email);
      return std::find(settings.domains.begin(), settings.domains.end(), domain) !=
             settings.domains.end();
    }
  }
  return false;
}

Invitation InviteEndUser(const auth::Actor& actor, storage::Database& db,
                         const auth::ServerKey& key, std::string_view email, std::int64_t now) {
  RequirePermission(actor, auth::Permission::kSettingsHelpdesk);
  const std::string address = CheckedEmail(email);
  const std::string token = core::RandomToken(32);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  if (auth::FindUserId(*c, address)) {
    throw core::Invalid("email", "already has an account");
  }
  InviteRow row{address, "invite", now, now + kInviteLifetimeSeconds, std::nullopt};
  InsertInvite(*c, TokenHash(key, token), row, ActorUserId(actor));
  const std::string link = std::string(kCompletePath) + token;
  InsertOutboxMail(*c, "portal_invite", address, "You are invited to our helpdesk",
                   "You have been invited to open an account on our helpdesk.\n\n"
                   "Open this link within 7 days to choose your name and password:\n" +
                       link + "\n",
                   now);
  AppendAudit(*c, now, ActorUserId(actor), "portal.invite_created", "email:" + address, "");
  tx.Commit();
  return {address, link, row.expires_at};
}

std::vector<InviteRow> ListPendingInvites(const auth::Actor& actor, storage::Database& db,
                                          std::int64_t now) {
  RequirePermission(actor, auth::Permission::kSettingsHelpdesk);
  storage::Lease c = db.Read();
  return SelectPendingInvites(*c, now, 200);
}

SignUpAnswer RequestSignUp(storage::Database& db, const auth::ServerKey& key,
                           const SignUpRequest& request, std::int64_t now) {
  const PortalSettings settings = ReadPortalSettings(db);
  if (settings.mode == SignUpMode::kInviteOnly) throw core::Forbidden("sign-up is invite-only");
  const std::string email = CheckedEmail(request.email);
  if (!SignUpAllows(settings, email)) {
    throw core::Invalid("email", "sign-up is open only to addresses at the listed domains");
  }
  const auth::SignInThrottle by_address(AddressThrottle());
  const auth::SignInThrottle by_client(ClientThrottle());
  const auth::ThrottleKeys address_key{"", ThrottleName(key, email)};
  const auth::ThrottleKeys client_key{"",
                                      "sign_up_" + auth::ClientThrottleKey(request.client_address)};
  const std::string token = core::RandomToken(32);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  if (!by_address.Check(*c, address_key, now) || !by_client.Check(*c, client_key, now)) {
    return SignUpAnswer::kThrottled;
  }
  by_address.RecordFailure(*c, address_key, now);
  by_client.RecordFailure(*c, client_key, now);
  if (auth::FindUserId(*c, email)) {
    InsertOutboxMail(*c, "sign_up_existing", email, "Your helpdesk account",
                     "Someone asked to sign up with this address, which already has an account.\n"
                     "If it was you, sign in at /login (or reset your password there).\n"
                     "If it was not you, you can ignore this mail: nothing was changed.\n",
                     now);
  } else {
    InviteRow row{email, "sign_up", now, now + kSignUpLinkLifetimeSeconds, std::nullopt};
    InsertInvite(*c, TokenHash(key, token), row, std::nullopt);
    InsertOutboxMail(*c, "sign_up", email, "Finish signing up",
                     "Open this link within a day to choose your name and password:\n" +
                         std::string(kCompletePath) + token + "\n",
                     now);
  }
  AppendAudit(*c, now, std::nullopt, "portal.sign_up_requested", "email:" + email, "");
  tx.Commit();
  return SignUpAnswer::kCheckYourEmail;
}

std::optional<std::string> LinkEmail(storage::Database& db, const auth::ServerKey& key,
                                     std::string_view token, std::int64_t now) {
  storage::Lease c = db.Read();
  const auto row = UsableLink(*c, key, token, now);
  if (!row) return std::nullopt;
  return row->email;
}

SignedUp CompleteSignUp(storage::Database& db, const auth::ServerKey& key,
                        const auth::HashCost& cost, const auth::SessionTimeouts& timeouts,
                        const CompleteSignUpRequest& request, std::int64_t now) {
  const auto email = LinkEmail(db, key, request.token, now);
  if (!email) throw core::Invalid("token", "this link is not valid any more; ask for a new one");
  const std::string name = CheckLine(request.name, "name", 200);
  const auth::PasswordVerdict verdict = auth::CheckPassword(
      auth::PasswordPolicy{}, request.password, auth::PasswordContext{false, *email, name, {}});
  if (!verdict) throw core::Invalid("password", verdict.user_text);
  // Hash before taking the writer: argon2id must not hold the write lock.
  const std::string hash = auth::HashPassword(*auth::NormalizePassword(request.password), cost);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  // Checked again inside the transaction: two tabs racing on one link create one account.
  if (!UsableLink(*c, key, request.token, now) ||
      !MarkInviteUsed(*c, TokenHash(key, request.token), now) || auth::FindUserId(*c, *email)) {
    throw core::Invalid("token", "this link is not valid any more; ask for a new one");
  }
  const std::int64_t user_id = InsertEndUser(*c, *email, name, hash, now);
  auth::NewSession session;
  session.user_id = user_id;
  session.client_address = request.client_address;
  session.user_agent = request.user_agent.substr(0, 512);
  const std::string cookie = auth::CreateSession(*c, session, now, timeouts);
  AppendAudit(*c, now, user_id, "portal.signed_up", "user:" + std::to_string(user_id), "");
  tx.Commit();
  return {user_id, cookie};
}

}  // namespace rampart::tickets
