#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "auth/authorize.h"
#include "auth/security_settings.h"
#include "security/ip_allowlist.h"
#include "storage/database.h"

namespace rampart::security {

// Everything /admin/security shows and saves: the password policy per audience, 2FA per role
// and the IP allowlists per scope (as the text an admin typed: networks, one per line).
struct SecurityPageValues {
  auth::SecuritySettings settings;
  std::string ip_everyone;
  std::string ip_staff;
  std::string ip_api;
};

// A problem with one form field: `field` is the form's field name ("staff.min_length",
// "ip.staff"), `text` says what is wrong in user words.
struct FieldProblem {
  std::string field;
  std::string text;
};

// The caches that must follow a save on this node at once.
struct SecurityCaches {
  auth::SecuritySettingsCache& settings;
  AllowlistCache& allowlists;
};

// Needs settings.security (Forbidden without it, like every /admin/ page).
SecurityPageValues ViewSecurityPage(storage::Database& db, const auth::Actor& actor,
                                    SecurityCaches caches);

// Validates every field and saves all of them in one transaction, or nothing: returns every
// problem, each naming its field, `input_problems` (fields the form could not even parse)
// first. Refuses IP lists that would lock out `client_address` (the
// saver's own address). Audits `settings.security` with the keys that changed.
std::vector<FieldProblem> SaveSecurityPage(storage::Database& db, const auth::Actor& actor,
                                           const SecurityPageValues& values,
                                           std::vector<FieldProblem> input_problems,
                                           const std::string& client_address, SecurityCaches caches,
                                           std::int64_t now);

}  // namespace rampart::security
