#include "tickets/merge.h"

#include <algorithm>

#include "core/errors.h"
#include "tickets/change_status.h"
#include "tickets/policy.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

std::optional<std::int64_t> Earliest(std::optional<std::int64_t> a, std::optional<std::int64_t> b) {
  if (a && b) return std::min(*a, *b);
  return a ? a : b;
}

std::optional<std::int64_t> Latest(std::optional<std::int64_t> a, std::optional<std::int64_t> b) {
  if (a && b) return std::max(*a, *b);
  return a ? a : b;
}

}  // namespace

MergeResult Merge(const auth::Actor& actor, storage::Database& db, const MergeRequest& request,
                  std::int64_t now) {
  RequirePermission(actor, auth::Permission::kTicketMerge);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  TicketRow source =
      LoadTicketFor(*c, actor, auth::Permission::kTicketMerge, request.source, "source");
  TicketRow target =
      LoadTicketFor(*c, actor, auth::Permission::kTicketMerge, request.target, "target");
  if (source.id == target.id) throw core::Invalid("target", "must be a different ticket");
  if (source.merged_into_id || source.status == Status::kClosed) {
    throw core::Conflict("The ticket to merge is already closed or merged.");
  }
  if (target.merged_into_id || target.status == Status::kClosed) {
    throw core::Conflict("Tickets cannot be merged into a closed or merged ticket.");
  }
  if (source.requester_id != target.requester_id && !request.allow_different_requesters) {
    throw core::Conflict(
        "The tickets have different requesters; each would see the other's messages. Confirm "
        "to merge anyway.");
  }

  const std::int64_t moved = MoveMessages(*c, source.id, target.id);
  for (const std::string& tag : LoadTags(*c, source.id)) AddTag(*c, target.id, tag);
  for (const std::string& email : LoadCcs(*c, source.id)) {
    AddCc(*c, target.id, email, ActorUserId(actor), now);
  }

  target.updated_at = now;
  target.last_message_at = Latest(target.last_message_at, source.last_message_at);
  target.last_agent_reply_at = Latest(target.last_agent_reply_at, source.last_agent_reply_at);
  target.first_response_at = Earliest(target.first_response_at, source.first_response_at);
  UpdateTicket(*c, target);

  const Status source_before = source.status;
  ApplyStatus(source, Status::kClosed, now);
  source.merged_into_id = target.id;
  source.updated_at = now;
  UpdateTicket(*c, source);

  const auto actor_id = ActorUserId(actor);
  const std::string source_number = FormatTicketNumber(source.number);
  const std::string target_number = FormatTicketNumber(target.number);
  AppendEvent(*c, source.id, actor_id, now, "status", std::string(StatusName(source_before)),
              std::string(StatusName(Status::kClosed)));
  AppendEvent(*c, source.id, actor_id, now, "merged_into", std::nullopt, target_number);
  AppendEvent(*c, target.id, actor_id, now, "merged_from", std::nullopt, source_number);
  // Messages changed tickets, and possibly requesters: audited.
  AppendAudit(*c, now, actor_id, "ticket.merge", source_number,
              "into=" + target_number + " messages=" + std::to_string(moved) +
                  (source.requester_id != target.requester_id ? " different_requesters" : ""));
  tx.Commit();
  return {source.number, target.number, moved};
}

}  // namespace rampart::tickets
