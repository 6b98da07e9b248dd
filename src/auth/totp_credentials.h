#pragma once
#include <cstdint>
#include <string>

#include "auth/secret_box.h"
#include "auth/totp.h"
#include "storage/database.h"

namespace rampart::auth {

// A user's TOTP credential in totp_credentials: the secret sealed by the SecretBox (associated
// data "totp:<user_id>", so a sealed secret copied to another user's row does not open), the
// step last accepted (replay protection), and whether enrollment was confirmed. All functions
// run on the caller's connection, inside the caller's transaction.

// Starts (or restarts) enrollment with `secret`; the credential counts only once confirmed.
void StoreTotpEnrollment(storage::Connection& c, const SecretBox& box, std::int64_t user_id,
                         const std::string& secret, std::int64_t now);
// True once the user confirmed enrollment with a valid code.
bool HasConfirmedTotp(storage::Connection& c, std::int64_t user_id);
// Checks `code` for the user at the server's time `now`. An accepted code records its step with
// a conditional update, so of two requests racing with the same code only one is accepted; the
// first accepted code also confirms a pending enrollment. A user without a credential gets
// kWrong. Throws core::InternalError when the stored secret does not open (wrong key file or a
// tampered row): that must alert, never read as a wrong code.
TotpVerdict VerifyUserTotp(storage::Connection& c, const SecretBox& box, std::int64_t user_id,
                           std::string_view code, std::int64_t now);
// Removes the credential (the caller re-authenticates the user and notifies them first).
void RemoveTotp(storage::Connection& c, std::int64_t user_id);

}  // namespace rampart::auth
