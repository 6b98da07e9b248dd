#pragma once
#include <cstdint>
#include <string>

#include "auth/authorize.h"
#include "storage/database.h"

namespace rampart::auth {

// What the confirmation page shows about the account whose 2FA an owner may reset.
struct SecondFactorAccount {
  std::int64_t user_id = 0;
  std::string email;
  std::string name;
  Role role = Role::kEndUser;
  bool enrolled = false;
  std::int64_t unused_recovery_codes = 0;
};

// Owners only: anyone else gets Forbidden, like every /admin/ page, before the user is looked
// up; NotFound for an unknown user.
SecondFactorAccount ViewSecondFactor(storage::Database& db, const Actor& actor,
                                     std::int64_t user_id);

// An owner removes a user's TOTP credential and recovery codes (a lost phone), signs out every
// session of the user, tells the user by mail and audits `2fa.reset`, in one transaction. At
// the next sign-in the user enrols again when their role requires 2FA. Owners reset their own
// second factor with their recovery codes instead: Invalid("user") for oneself.
void ResetSecondFactor(storage::Database& db, const Actor& actor, std::int64_t user_id,
                       const std::string& client_address, std::int64_t now);

}  // namespace rampart::auth
