#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "auth/password_policy.h"
#include "auth/users.h"
#include "storage/database.h"

namespace rampart::auth {

// The security settings an admin changes at /admin/security: password policy per audience and
// which roles must use a second factor. Stored as `security.*` rows of the settings table; a
// key without a row takes its default (from the configuration), so an untouched install
// follows the configuration.
struct SecuritySettings {
  PasswordPolicy staff_passwords;
  PasswordPolicy end_user_passwords;
  bool second_factor_owner = true;
  bool second_factor_admin = true;
  bool second_factor_agent = false;
  bool second_factor_end_user = false;

  const PasswordPolicy& PasswordsFor(Role role) const {
    return IsStaff(role) ? staff_passwords : end_user_passwords;
  }
  bool RequiresSecondFactor(Role role) const;
};

// Every way the settings leave the allowed bounds, as "field: problem" with the form's field
// names ("staff.min_length: must be at least 8"); empty when they may be saved.
std::vector<std::string> SecuritySettingsProblems(const SecuritySettings& s);

SecuritySettings LoadSecuritySettings(storage::Connection& c, const SecuritySettings& defaults);
// Writes every value (callers validate first), inside the caller's transaction.
void SaveSecuritySettings(storage::Connection& c, const SecuritySettings& s);

// The settings as sign-in and password changes apply them: read from the database at most
// every few seconds (so every node of a cluster follows a change), and at once after a save on
// this node (Invalidate).
class SecuritySettingsCache {
 public:
  SecuritySettingsCache(storage::Database& db, const SecuritySettings& defaults)
      : db_(db), defaults_(defaults) {}
  std::shared_ptr<const SecuritySettings> Get();
  void Invalidate();
  const SecuritySettings& Defaults() const { return defaults_; }

 private:
  storage::Database& db_;
  SecuritySettings defaults_;
  std::mutex reload_mutex_;
  std::atomic<std::shared_ptr<const SecuritySettings>> current_;
  std::atomic<std::int64_t> loaded_at_ns_{0};
};

}  // namespace rampart::auth
