#pragma once
// The access review: every staff account with what it may do and how it signs in, for the
// periodic check that nobody holds more than their work needs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/user_admin.h"
#include "auth/api_tokens.h"

namespace rampart::access {

struct ReviewEntry {
  UserRecord user;
  std::vector<auth::ApiTokenInfo> tokens;  // live and revoked, newest first
};

// Every staff user (owners, admins, agents, custom roles), disabled ones included. Needs
// audit.view or user.manage.
std::vector<ReviewEntry> AccessReview(const auth::Actor& actor, storage::Database& db);

// The review as JSON (one object: {"generated_at", "staff": [...]}) and as text for a terminal.
std::string ReviewJson(const std::vector<ReviewEntry>& entries, std::int64_t now);
std::string ReviewText(const std::vector<ReviewEntry>& entries, std::int64_t now);

}  // namespace rampart::access
