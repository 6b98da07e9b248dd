#include "auth/authorize.h"

#include <algorithm>

namespace rampart::auth {
namespace {

bool RoleHas(Role role, Permission p) {
  switch (role) {
    case Role::kOwner:
    case Role::kAdmin: return true;
    case Role::kAgent:
      switch (p) {
        case Permission::kTicketView:
        case Permission::kTicketCreate:
        case Permission::kTicketReply:
        case Permission::kTicketNote:
        case Permission::kTicketAssign:
        case Permission::kTicketChangeStatus:
        case Permission::kTicketMerge: return true;
        default: return false;
      }
    case Role::kEndUser:
      switch (p) {
        case Permission::kTicketView:
        case Permission::kTicketCreate:
        case Permission::kTicketReply:
        case Permission::kTicketChangeStatus: return true;
        default: return false;
      }
  }
  return false;
}

bool StaffReaches(const Actor& actor, const TicketFacts& ticket) {
  if (actor.role == Role::kOwner || actor.role == Role::kAdmin || actor.all_departments)
    return true;
  // A ticket in no department is in the shared inbox: every agent sees it.
  if (!ticket.department_id) return true;
  if (ticket.assignee_id && *ticket.assignee_id == actor.user_id) return true;
  return std::find(actor.department_ids.begin(), actor.department_ids.end(),
                   *ticket.department_id) != actor.department_ids.end();
}

bool EndUserReaches(const Actor& actor, const TicketFacts& ticket) {
  if (ticket.requester_id == actor.user_id) return true;
  return actor.organization_shares_tickets && actor.organization_id &&
         ticket.requester_organization_id &&
         *actor.organization_id == *ticket.requester_organization_id;
}

}  // namespace

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kTicketView: return "ticket.view";
    case Permission::kTicketCreate: return "ticket.create";
    case Permission::kTicketReply: return "ticket.reply";
    case Permission::kTicketNote: return "ticket.note";
    case Permission::kTicketAssign: return "ticket.assign";
    case Permission::kTicketChangeStatus: return "ticket.status";
    case Permission::kTicketMerge: return "ticket.merge";
    case Permission::kTicketDelete: return "ticket.delete";
    case Permission::kUserManage: return "user.manage";
    case Permission::kRoleManage: return "role.manage";
    case Permission::kSettingsSecurity: return "settings.security";
    case Permission::kSettingsHelpdesk: return "settings.helpdesk";
    case Permission::kAuditView: return "audit.view";
    case Permission::kReportView: return "report.view";
    case Permission::kExportData: return "export.data";
  }
  return "unknown";
}

bool IsWrite(Permission permission) {
  switch (permission) {
    case Permission::kTicketView:
    case Permission::kAuditView:
    case Permission::kReportView: return false;
    default: return true;
  }
}

bool HasAnyAdminPermission(const Actor& actor) {
  for (Permission p :
       {Permission::kUserManage, Permission::kRoleManage, Permission::kSettingsSecurity,
        Permission::kSettingsHelpdesk, Permission::kAuditView}) {
    if (Authorize(actor, p)) return true;
  }
  return false;
}

Decision Authorize(const Actor& actor, Permission permission, const TicketFacts* ticket) {
  if (actor.user_id <= 0 && actor.channel != Actor::Channel::kSystem) return {false, "anonymous"};
  if (actor.read_only && IsWrite(permission)) return {false, "read_only_token"};
  if (actor.channel == Actor::Channel::kSystem) return {true, "system"};
  if (!RoleHas(actor.role, permission)) return {false, "role_lacks_permission"};
  if (ticket == nullptr) return {true, "role_permits"};
  if (IsStaff(actor.role)) {
    if (!StaffReaches(actor, *ticket)) return {false, "outside_department"};
    return {true, "staff_in_scope"};
  }
  if (!EndUserReaches(actor, *ticket)) return {false, "not_requester"};
  return {true, "requester"};
}

}  // namespace rampart::auth
