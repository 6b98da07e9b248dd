#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace rampart::auth {

// How far the session has got through sign-in.
enum class SecondFactor {
  kNone,     // password alone suffices for this account
  kPending,  // password accepted; the TOTP or recovery code is still due
  kEnroll,   // password accepted; the account must enrol in 2FA before anything else
  kDone,     // both factors given
};
std::string_view SecondFactorName(SecondFactor f);

struct SessionTimeouts {
  std::int64_t idle_seconds = 1800;
  std::int64_t lifetime_seconds = 12 * 3600;
};

struct Session {
  std::string handle;  // hex of the id's hash: names the session in lists, grants nothing
  std::int64_t user_id = 0;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
  std::int64_t reauth_at = 0;
  SecondFactor second_factor = SecondFactor::kNone;
  std::string client_address;
  std::string user_agent;
  bool FullySignedIn() const {
    return second_factor == SecondFactor::kNone || second_factor == SecondFactor::kDone;
  }
};

struct NewSession {
  std::int64_t user_id = 0;
  SecondFactor second_factor = SecondFactor::kNone;
  std::string client_address;
  std::string user_agent;
};

// Creates a session and returns the cookie value: 256 random bits, base64url. Only its hash is
// stored. Call inside the caller's write transaction.
std::string CreateSession(storage::Connection& c, const NewSession& s, std::int64_t now,
                          const SessionTimeouts& timeouts);
// The live session for a cookie value, or nullopt (unknown, idle too long, past its lifetime).
// Extends the idle window, writing at most once a minute.
std::optional<Session> LoadSession(storage::Database& db, const std::string& token,
                                   std::int64_t now, const SessionTimeouts& timeouts);
void RevokeSession(storage::Connection& c, const std::string& token);
// Revokes by handle, only among `user_id`'s sessions; returns whether one was revoked.
bool RevokeSessionByHandle(storage::Connection& c, std::int64_t user_id, const std::string& handle);
// Revokes every session of the user except the one named by `keep_token` (may be empty).
int RevokeOtherSessions(storage::Connection& c, std::int64_t user_id,
                        const std::string& keep_token);
// Replaces the session with a new id (and CSRF token) at the new sign-in stage: an id seen
// before a privilege change is worthless after it (no session fixation). Returns the new
// cookie value, or "" when the old session is gone.
std::string RotateSession(storage::Connection& c, const std::string& old_token, SecondFactor f,
                          std::int64_t now, const SessionTimeouts& timeouts);
void MarkReauthenticated(storage::Connection& c, const std::string& token, std::int64_t now);
std::vector<Session> ListSessions(storage::Database& db, std::int64_t user_id);
std::string SessionHandle(const std::string& token);

}  // namespace rampart::auth
