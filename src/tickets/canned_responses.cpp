#include "tickets/canned_responses.h"

#include <array>
#include <utility>

#include "core/errors.h"
#include "tickets/policy.h"
#include "tickets/text_rules.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

// Managing shared responses is a helpdesk setting; personal ones need only the right to reply.
void RequireManage(const auth::Actor& actor, bool shared) {
  if (shared) {
    RequirePermission(actor, auth::Permission::kSettingsHelpdesk);
    return;
  }
  RequirePermission(actor, auth::Permission::kTicketReply);
  if (!ActsAsStaff(actor)) throw core::Forbidden("canned responses are for staff");
}

// The response when the actor may manage it from this page; NotFound otherwise, so that ids
// of other agents' responses reveal nothing.
CannedRow Owned(storage::Connection& c, const auth::Actor& actor, std::int64_t id, bool shared) {
  const auto row = SelectCanned(c, id);
  if (!row) throw core::NotFound("no canned response " + std::to_string(id));
  const bool ok = shared ? !row->owner_id : row->owner_id == actor.user_id;
  if (!ok) throw core::NotFound("canned response " + std::to_string(id) + " is not the actor's");
  return *row;
}

std::string Target(std::int64_t id) {
  return "canned_response:" + std::to_string(id);
}

}  // namespace

std::vector<CannedRow> ListCannedForAgent(const auth::Actor& actor, storage::Database& db) {
  RequireManage(actor, false);
  storage::Lease c = db.Read();
  return SelectCannedFor(*c, actor.user_id);
}

std::vector<CannedRow> ListSharedCanned(const auth::Actor& actor, storage::Database& db) {
  RequireManage(actor, true);
  storage::Lease c = db.Read();
  return SelectSharedCanned(*c);
}

std::int64_t CreateCanned(const auth::Actor& actor, storage::Database& db, const CannedInput& input,
                          std::int64_t now) {
  RequireManage(actor, input.shared);
  CannedRow row;
  if (!input.shared) row.owner_id = actor.user_id;
  row.title = CheckLine(input.title, "title", kMaxCannedTitleChars);
  row.body = CheckBody(input.body, "body");
  if (CountCharacters(row.body) > kMaxCannedBodyChars) {
    throw core::Invalid("body", "must be at most 10000 characters");
  }
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const std::int64_t limit = input.shared ? kMaxSharedCanned : kMaxPersonalCanned;
  if (CountCanned(*c, row.owner_id) >= limit) {
    throw core::Conflict("There are already " + std::to_string(limit) +
                         " canned responses here; remove one first.");
  }
  const std::int64_t id = InsertCanned(*c, row, now);
  AppendAudit(*c, now, ActorUserId(actor), "canned_response.created", Target(id),
              input.shared ? "shared" : "personal");
  tx.Commit();
  return id;
}

void EditCanned(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                const CannedInput& input, std::int64_t now) {
  RequireManage(actor, input.shared);
  const std::string title = CheckLine(input.title, "title", kMaxCannedTitleChars);
  const std::string body = CheckBody(input.body, "body");
  if (CountCharacters(body) > kMaxCannedBodyChars) {
    throw core::Invalid("body", "must be at most 10000 characters");
  }
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  Owned(*c, actor, id, input.shared);
  UpdateCanned(*c, id, title, body, now);
  AppendAudit(*c, now, ActorUserId(actor), "canned_response.updated", Target(id),
              input.shared ? "shared" : "personal");
  tx.Commit();
}

void RemoveCanned(const auth::Actor& actor, storage::Database& db, std::int64_t id, bool shared,
                  std::int64_t now) {
  RequireManage(actor, shared);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  Owned(*c, actor, id, shared);
  DeleteCanned(*c, id);
  AppendAudit(*c, now, ActorUserId(actor), "canned_response.deleted", Target(id),
              shared ? "shared" : "personal");
  tx.Commit();
}

std::string FillPlaceholders(std::string_view body, std::string_view requester_name,
                             std::string_view ticket_number, std::string_view agent_name) {
  const std::array<std::pair<std::string_view, std::string_view>, 3> values = {{
      {"{{requester.name}}", requester_name},
      {"{{ticket.number}}", ticket_number},
      {"{{agent.name}}", agent_name},
  }};
  std::string out;
  out.reserve(body.size());
  std::size_t i = 0;
  while (i < body.size()) {
    bool replaced = false;
    if (body[i] == '{') {
      for (const auto& [name, value] : values) {
        if (body.substr(i, name.size()) == name) {
          out.append(value);
          i += name.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(body[i++]);
  }
  return out;
}

std::string ExpandCanned(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                         std::string_view ticket_number) {
  RequireManage(actor, false);
  storage::Lease c = db.Read();
  ReadSnapshot snapshot(*c);
  const TicketRow t = LoadTicketFor(*c, actor, auth::Permission::kTicketReply, ticket_number);
  const auto row = SelectCanned(*c, id);
  if (!row || (row->owner_id && *row->owner_id != actor.user_id)) {
    throw core::Invalid("canned", "is not one of your canned responses");
  }
  return FillPlaceholders(row->body, UserName(*c, t.requester_id), FormatTicketNumber(t.number),
                          UserName(*c, actor.user_id));
}

}  // namespace rampart::tickets
