#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/change_status.h"
#include "tickets/ticket.h"

// The ticket's properties, one action each. All of them are staff work (see RequireStaffEdit),
// refuse closed tickets (core::Conflict), write one history line per changed value, and return
// changed=false without writing anything when the ticket already was as asked.
namespace rampart::tickets {

struct PriorityRequest {
  std::string ticket;
  Priority priority = Priority::kNormal;
};
TicketChange ChangePriority(const auth::Actor& actor, storage::Database& db,
                            const PriorityRequest& request, std::int64_t now);

struct DepartmentRequest {
  std::string ticket;
  std::optional<std::int64_t> department_id;  // nullopt: the shared inbox
};
// Routing needs ticket.assign. Moving a ticket changes which staff can see it, so it is also
// written to the audit log. The actor may move a ticket out of their own reach.
TicketChange ChangeDepartment(const auth::Actor& actor, storage::Database& db,
                              const DepartmentRequest& request, std::int64_t now);

struct TagsRequest {
  std::string ticket;
  std::vector<std::string> add;
  std::vector<std::string> remove;
};
TicketChange ChangeTags(const auth::Actor& actor, storage::Database& db, const TagsRequest& request,
                        std::int64_t now);

struct CustomFieldsRequest {
  std::string ticket;
  // By field key; nullopt clears the value (refused for required fields).
  std::map<std::string, std::optional<std::string>> values;
};
TicketChange ChangeCustomFields(const auth::Actor& actor, storage::Database& db,
                                const CustomFieldsRequest& request, std::int64_t now);

struct DueDateRequest {
  std::string ticket;
  std::optional<std::int64_t> due_at;  // Unix seconds; nullopt clears
};
TicketChange ChangeDueDate(const auth::Actor& actor, storage::Database& db,
                           const DueDateRequest& request, std::int64_t now);

// Copies receive the ticket's mail (when the mail channel sends it); they gain no access to the
// ticket in the portal: Authorize knows nothing of copies.
struct CcsRequest {
  std::string ticket;
  std::vector<std::string> add;
  std::vector<std::string> remove;
};
TicketChange ChangeCcs(const auth::Actor& actor, storage::Database& db, const CcsRequest& request,
                       std::int64_t now);

}  // namespace rampart::tickets
