#pragma once
#include <memory>

#include "auth/security_settings.h"
#include "core/clock.h"
#include "http/message.h"
#include "security/ip_allowlist.h"
#include "storage/database.h"

namespace rampart::web {

// Owner and admin security pages: /admin/security (password policy, 2FA per role, IP
// allowlists) and an owner's reset of a user's 2FA (/admin/users/{id}/reset-2fa). Every route
// here requires a recent re-authentication.
class AdminSecurityPages {
 public:
  AdminSecurityPages(storage::Database& db, std::shared_ptr<auth::SecuritySettingsCache> settings,
                     std::shared_ptr<security::AllowlistCache> allowlists, const core::Clock& clock)
      : db_(db),
        settings_(std::move(settings)),
        allowlists_(std::move(allowlists)),
        clock_(clock) {}

  http::Response ShowSettings(http::Request& request) const;
  http::Response SaveSettings(http::Request& request) const;
  http::Response ShowResetSecondFactor(http::Request& request) const;
  http::Response ResetSecondFactor(http::Request& request) const;

 private:
  storage::Database& db_;
  std::shared_ptr<auth::SecuritySettingsCache> settings_;
  std::shared_ptr<security::AllowlistCache> allowlists_;
  const core::Clock& clock_;
};

}  // namespace rampart::web
