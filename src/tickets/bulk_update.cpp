#include "tickets/bulk_update.h"

#include <algorithm>

#include "core/errors.h"
#include "tickets/admin_store.h"
#include "tickets/assign.h"
#include "tickets/change_status.h"
#include "tickets/policy.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {

BulkOutcome BulkUpdate(const auth::Actor& actor, storage::Database& db, const BulkRequest& request,
                       std::int64_t now) {
  const bool assign = request.change == BulkRequest::Change::kAssign;
  RequirePermission(
      actor, assign ? auth::Permission::kTicketAssign : auth::Permission::kTicketChangeStatus);
  if (!ActsAsStaff(actor)) throw core::Forbidden("bulk changes are for staff");
  if (request.tickets.empty()) throw core::Invalid("tickets", "choose at least one ticket");
  std::vector<std::string> numbers;
  for (const std::string& t : request.tickets) {
    if (std::find(numbers.begin(), numbers.end(), t) == numbers.end()) numbers.push_back(t);
  }
  if (numbers.size() > kMaxBulkTickets) {
    throw core::Invalid("tickets", "at most 50 tickets can be changed at once");
  }
  BulkOutcome out;
  for (const std::string& number : numbers) {
    try {
      const TicketChange change = assign ? Assign(actor, db, {number, request.assignee_id}, now)
                                         : ChangeStatus(actor, db, {number, request.status}, now);
      (change.changed ? out.changed : out.unchanged).push_back(number);
    } catch (const core::NotFound&) {
      out.skipped.push_back({number, "not found, or not yours to see"});
    } catch (const core::Forbidden&) {
      out.skipped.push_back({number, "you may not change it"});
    } catch (const core::RequestError& e) {
      // Invalid (the assignee cannot see it, a malformed number) and Conflict (closed).
      out.skipped.push_back({number, e.UserText()});
    }
  }
  return out;
}

std::vector<AgentChoice> ListAssignableAgents(const auth::Actor& actor, storage::Database& db) {
  RequirePermission(actor, auth::Permission::kTicketAssign);
  if (!ActsAsStaff(actor)) throw core::Forbidden("assignees are listed for staff");
  storage::Lease c = db.Read();
  std::vector<AgentChoice> out;
  for (const auto& [id, name] : SelectActiveStaff(*c)) out.push_back({id, name});
  return out;
}

}  // namespace rampart::tickets
