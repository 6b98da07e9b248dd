#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/admin_store.h"

// Canned responses: ready-made reply texts. Shared ones are managed by admins
// (settings.helpdesk) and offered to every agent; personal ones belong to one agent, who alone
// sees and manages them (another agent's id is NotFound, like one that does not exist). Bodies
// are plain text like every message: markup in them is kept and escaped when shown.
namespace rampart::tickets {

inline constexpr std::size_t kMaxCannedTitleChars = 100;
inline constexpr std::size_t kMaxCannedBodyChars = 10000;
inline constexpr std::int64_t kMaxPersonalCanned = 200;
inline constexpr std::int64_t kMaxSharedCanned = 500;

struct CannedInput {
  bool shared = false;
  std::string title;
  std::string body;
};

// The shared responses and the actor's own (staff who may reply).
std::vector<CannedRow> ListCannedForAgent(const auth::Actor& actor, storage::Database& db);
// Shared ones only, for the admin page.
std::vector<CannedRow> ListSharedCanned(const auth::Actor& actor, storage::Database& db);
std::int64_t CreateCanned(const auth::Actor& actor, storage::Database& db, const CannedInput& input,
                          std::int64_t now);
// `shared` says which page the change comes from; a response of the other kind is NotFound.
void EditCanned(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                const CannedInput& input, std::int64_t now);
void RemoveCanned(const auth::Actor& actor, storage::Database& db, std::int64_t id, bool shared,
                  std::int64_t now);

// The response's body with its placeholders filled for one ticket the actor may reply to:
// {{requester.name}}, {{ticket.number}}, {{agent.name}}. Replaced in one pass, as plain text: a
// value that itself looks like a placeholder or like markup stays exactly as it is.
std::string ExpandCanned(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                         std::string_view ticket_number);
// The substitution alone, for tests and previews.
std::string FillPlaceholders(std::string_view body, std::string_view requester_name,
                             std::string_view ticket_number, std::string_view agent_name);

}  // namespace rampart::tickets
