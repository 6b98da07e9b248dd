#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "auth/users.h"

namespace rampart::auth {

// Every named permission. Custom roles are sets of these.
enum class Permission {
  kTicketView,
  kTicketCreate,
  kTicketReply,
  kTicketNote,
  kTicketAssign,
  kTicketChangeStatus,
  kTicketMerge,
  kTicketDelete,
  kUserManage,
  kRoleManage,
  kSettingsSecurity,
  kSettingsHelpdesk,  // organizations, departments, custom fields, shared canned responses, portal
  kAuditView,
  kReportView,
  kExportData,
};
std::string_view PermissionName(Permission permission);  // "ticket.view"
// Permissions that change something: a read-scoped API token never gets them.
bool IsWrite(Permission permission);

// Who is acting, as the session or token established it. Built once per request.
struct Actor {
  enum class Channel { kWeb, kApi, kMail, kSystem };
  std::int64_t user_id = 0;
  Role role = Role::kEndUser;
  std::optional<std::int64_t> organization_id;
  bool organization_shares_tickets = false;
  bool all_departments = false;  // staff scoped to every department
  std::vector<std::int64_t> department_ids;
  Channel channel = Channel::kWeb;
  bool read_only = false;  // a read-scoped API token
};

// What the decision needs to know about one ticket.
struct TicketFacts {
  std::int64_t requester_id = 0;
  std::optional<std::int64_t> requester_organization_id;
  std::optional<std::int64_t> department_id;
  std::optional<std::int64_t> assignee_id;
};

struct Decision {
  bool allowed = false;
  std::string_view reason;  // stable snake_case, for logs, metrics and audit
  explicit operator bool() const { return allowed; }
};

// The one function that decides every access. The web UI, the API, inbound mail and background
// jobs all call it; nothing else grants access. With `ticket`, it also decides whether the actor
// may act on that ticket; callers answer 404 (not 403) when a ticket is out of reach, so that
// ticket numbers do not reveal which tickets exist.
Decision Authorize(const Actor& actor, Permission permission, const TicketFacts* ticket = nullptr);

// Whether the actor holds any permission of the admin section (the /admin/ landing page).
bool HasAnyAdminPermission(const Actor& actor);

}  // namespace rampart::auth
