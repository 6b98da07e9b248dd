#include "tickets/change_fields.h"

#include <algorithm>

#include "core/errors.h"
#include "core/strings.h"
#include "tickets/custom_fields.h"
#include "tickets/policy.h"
#include "tickets/text_rules.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

// The part every property action shares: check, load, refuse closed tickets.
struct Editing {
  storage::Lease lease;
  storage::Transaction tx;
  TicketRow ticket;

  Editing(storage::Database& db, const auth::Actor& actor, auth::Permission permission,
          const std::string& number)
      : lease(db.Write()), tx(*lease), ticket(LoadTicketFor(*lease, actor, permission, number)) {
    RequireNotClosed(ticket);
  }
  storage::Connection& C() { return *lease; }

  TicketChange Finish(std::int64_t now) {
    ticket.updated_at = now;
    UpdateTicket(*lease, ticket);
    tx.Commit();
    return {ticket.number, true, now};
  }
  TicketChange Unchanged() const { return {ticket.number, false, ticket.updated_at}; }
};

}  // namespace

TicketChange ChangePriority(const auth::Actor& actor, storage::Database& db,
                            const PriorityRequest& request, std::int64_t now) {
  RequireStaffEdit(actor);
  Editing e(db, actor, auth::Permission::kTicketChangeStatus, request.ticket);
  if (e.ticket.priority == request.priority) return e.Unchanged();
  AppendEvent(e.C(), e.ticket.id, ActorUserId(actor), now, "priority",
              std::string(PriorityName(e.ticket.priority)),
              std::string(PriorityName(request.priority)));
  e.ticket.priority = request.priority;
  return e.Finish(now);
}

TicketChange ChangeDepartment(const auth::Actor& actor, storage::Database& db,
                              const DepartmentRequest& request, std::int64_t now) {
  RequirePermission(actor, auth::Permission::kTicketAssign);
  Editing e(db, actor, auth::Permission::kTicketAssign, request.ticket);
  if (request.department_id && !DepartmentExists(e.C(), *request.department_id)) {
    throw core::Invalid("department", "no such department");
  }
  if (e.ticket.department_id == request.department_id) return e.Unchanged();
  const auto actor_id = ActorUserId(actor);
  AppendEvent(e.C(), e.ticket.id, actor_id, now, "department", IdText(e.ticket.department_id),
              IdText(request.department_id));
  AppendAudit(e.C(), now, actor_id, "ticket.department", FormatTicketNumber(e.ticket.number),
              "from=" + IdText(e.ticket.department_id).value_or("none") +
                  " to=" + IdText(request.department_id).value_or("none"));
  e.ticket.department_id = request.department_id;
  return e.Finish(now);
}

TicketChange ChangeTags(const auth::Actor& actor, storage::Database& db, const TagsRequest& request,
                        std::int64_t now) {
  RequireStaffEdit(actor);
  const std::vector<std::string> add = CheckTags(request.add);
  const std::vector<std::string> remove = CheckTags(request.remove);
  Editing e(db, actor, auth::Permission::kTicketChangeStatus, request.ticket);
  const std::vector<std::string> before = LoadTags(e.C(), e.ticket.id);
  std::vector<std::string> after = before;
  for (const std::string& tag : add) {
    if (!std::binary_search(after.begin(), after.end(), tag)) {
      after.insert(std::upper_bound(after.begin(), after.end(), tag), tag);
    }
  }
  std::erase_if(after, [&](const std::string& tag) {
    return std::binary_search(remove.begin(), remove.end(), tag);
  });
  if (after == before) return e.Unchanged();
  if (after.size() > kMaxTags) throw core::Invalid("tags", "at most 20 tags");
  for (const std::string& tag : before) {
    if (!std::binary_search(after.begin(), after.end(), tag)) RemoveTag(e.C(), e.ticket.id, tag);
  }
  for (const std::string& tag : after) {
    if (!std::binary_search(before.begin(), before.end(), tag)) AddTag(e.C(), e.ticket.id, tag);
  }
  const auto join = [](const std::vector<std::string>& tags) {
    std::string out;
    for (const std::string& t : tags) out.append(out.empty() ? "" : " ").append(t);
    return out;
  };
  AppendEvent(e.C(), e.ticket.id, ActorUserId(actor), now, "tags", join(before), join(after));
  return e.Finish(now);
}

TicketChange ChangeCustomFields(const auth::Actor& actor, storage::Database& db,
                                const CustomFieldsRequest& request, std::int64_t now) {
  RequireStaffEdit(actor);
  Editing e(db, actor, auth::Permission::kTicketChangeStatus, request.ticket);
  const std::vector<FieldDefinition> fields = LoadFieldDefinitions(e.C());
  const std::vector<StoredFieldValue> stored = LoadFieldValues(e.C(), e.ticket.id);
  bool changed = false;
  const auto actor_id = ActorUserId(actor);
  for (const auto& [key, raw] : request.values) {
    const FieldDefinition* field = FindField(fields, key);
    if (field == nullptr || field->archived) {
      throw core::Invalid("custom_fields." + key, "no such field");
    }
    std::optional<std::string> value;
    if (raw) {
      value = CanonicalFieldValue(*field, *raw);
    } else if (field->required) {
      throw core::Invalid("custom_fields." + key, "is required");
    }
    const auto old = std::find_if(stored.begin(), stored.end(), [&](const StoredFieldValue& v) {
      return v.field_id == field->id;
    });
    const std::optional<std::string> before =
        old == stored.end() ? std::nullopt : std::optional<std::string>(old->value);
    if (before == value) continue;
    if (value) {
      SetFieldValue(e.C(), e.ticket.id, field->id, *value);
    } else {
      ClearFieldValue(e.C(), e.ticket.id, field->id);
    }
    AppendEvent(e.C(), e.ticket.id, actor_id, now, "custom_fields." + key, before, value);
    changed = true;
  }
  if (!changed) return e.Unchanged();
  return e.Finish(now);
}

TicketChange ChangeDueDate(const auth::Actor& actor, storage::Database& db,
                           const DueDateRequest& request, std::int64_t now) {
  RequireStaffEdit(actor);
  if (request.due_at) CheckDueAt(*request.due_at);
  Editing e(db, actor, auth::Permission::kTicketChangeStatus, request.ticket);
  if (e.ticket.due_at == request.due_at) return e.Unchanged();
  AppendEvent(e.C(), e.ticket.id, ActorUserId(actor), now, "due_at", IdText(e.ticket.due_at),
              IdText(request.due_at));
  e.ticket.due_at = request.due_at;
  return e.Finish(now);
}

TicketChange ChangeCcs(const auth::Actor& actor, storage::Database& db, const CcsRequest& request,
                       std::int64_t now) {
  RequireStaffEdit(actor);
  const std::vector<std::string> add = CheckCcs(request.add);
  const std::vector<std::string> remove = CheckCcs(request.remove);
  Editing e(db, actor, auth::Permission::kTicketChangeStatus, request.ticket);
  const std::vector<std::string> before = LoadCcs(e.C(), e.ticket.id);
  const auto has = [](const std::vector<std::string>& list, const std::string& email) {
    return std::any_of(list.begin(), list.end(),
                       [&](const std::string& x) { return core::EqualsIgnoreCase(x, email); });
  };
  std::size_t count = before.size();
  bool changed = false;
  const auto actor_id = ActorUserId(actor);
  for (const std::string& email : remove) {
    if (!has(before, email)) continue;
    RemoveCc(e.C(), e.ticket.id, email);
    AppendEvent(e.C(), e.ticket.id, actor_id, now, "cc", email, std::nullopt);
    --count;
    changed = true;
  }
  for (const std::string& email : add) {
    if (has(before, email) && !has(remove, email)) continue;
    AddCc(e.C(), e.ticket.id, email, actor_id, now);
    AppendEvent(e.C(), e.ticket.id, actor_id, now, "cc", std::nullopt, email);
    ++count;
    changed = true;
  }
  if (count > kMaxCcs) throw core::Invalid("ccs", "at most 20 addresses");
  if (!changed) return e.Unchanged();
  return e.Finish(now);
}

}  // namespace rampart::tickets
