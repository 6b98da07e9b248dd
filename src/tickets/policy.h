#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/ticket.h"
#include "tickets/ticket_store.h"

// How the ticket actions apply auth::Authorize, in one place. Authorize alone grants access;
// the few rules here only narrow it further, each with its reason, and each is tested with the
// action that uses it.
namespace rampart::tickets {

// Staff roles, and the system acting on its own.
bool ActsAsStaff(const auth::Actor& actor);

// The first line of every action: the role (or a read-only token) must allow `permission` at
// all. Throws core::Forbidden with the decision's reason in the log text. Nothing about any
// ticket is looked at yet, so the refusal reveals nothing.
void RequirePermission(const auth::Actor& actor, auth::Permission permission);

// The ticket with this public number, when the actor may see it and may use `permission` on it.
// Throws core::Invalid when the number is malformed, core::NotFound when no such ticket exists
// or the actor may not see it (the two must look the same), core::Forbidden when the actor sees
// the ticket but may not do this to it.
TicketRow LoadTicketFor(storage::Connection& c, const auth::Actor& actor,
                        auth::Permission permission, std::string_view number,
                        std::string_view field = "ticket");

// Authorize has no permission for editing a ticket's properties (priority, tags, custom fields,
// due date, copies) yet: ticket.status, the permission to work a ticket's state, stands in for
// it, narrowed to staff. Throws core::Forbidden otherwise, before any ticket is looked at.
// TODO(auth): a ticket.update permission, so that roles can grant it separately.
void RequireStaffEdit(const auth::Actor& actor);

// Closed tickets are a record: their fields no longer change (core::Conflict). Notes may still
// be added.
void RequireNotClosed(const TicketRow& ticket);

// Whether Authorize lets `actor` see this ticket (for lists and search results, which skip
// what the actor may not see rather than failing).
bool MaySee(const auth::Actor& actor, const TicketRow& ticket);

// The user the actor acts as, for history and audit; nullopt for the system.
std::optional<std::int64_t> ActorUserId(const auth::Actor& actor);
// The author of a message the actor writes. The system writes messages only on behalf of a
// user, so an actor without one here is a caller bug (std::logic_error).
std::int64_t AuthorIdOf(const auth::Actor& actor);
AuthorKind AuthorKindOf(const auth::Actor& actor);

// The actor a user would be, for checks on someone other than the caller (an assignee must be
// able to see the ticket assigned to them).
auth::Actor ActorFor(const UserFacts& user);

}  // namespace rampart::tickets
