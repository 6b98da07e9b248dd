#pragma once
#include "auth/sign_in.h"
#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"

namespace rampart::web {

// The admin section's landing page and its helpdesk settings (organizations, departments,
// custom fields, shared canned responses, portal sign-up), the agents' personal canned
// responses and queue bulk actions, and the portal's public sign-up pages. Adapters only: each
// handler parses, calls one action (which calls auth::Authorize first), renders.
// The admin pages refuse everyone without the permission (403, like every /admin/ page); the
// agents' pages do not exist for end users (404, like the agent workspace).
class AdminHelpdeskPages {
 public:
  AdminHelpdeskPages(storage::Database& db, auth::SignInPolicy policy, const core::Clock& clock)
      : db_(db), policy_(std::move(policy)), clock_(clock) {}

  http::Response Index(http::Request& request) const;

  http::Response Organizations(http::Request& request) const;
  http::Response CreateOrganization(http::Request& request) const;
  http::Response Organization(http::Request& request) const;
  http::Response UpdateOrganization(http::Request& request) const;

  http::Response Departments(http::Request& request) const;
  http::Response CreateDepartment(http::Request& request) const;
  http::Response RenameDepartment(http::Request& request) const;
  http::Response DeleteDepartment(http::Request& request) const;

  http::Response CustomFields(http::Request& request) const;
  http::Response CreateCustomField(http::Request& request) const;
  http::Response CustomField(http::Request& request) const;
  http::Response UpdateCustomField(http::Request& request) const;
  http::Response SetCustomFieldActive(http::Request& request) const;

  // Shared (admin) and personal (agent) canned responses: one set of handlers, two bases.
  http::Response SharedCanned(http::Request& request) const;
  http::Response CreateSharedCanned(http::Request& request) const;
  http::Response EditSharedCanned(http::Request& request) const;
  http::Response DeleteSharedCanned(http::Request& request) const;
  http::Response PersonalCanned(http::Request& request) const;
  http::Response CreatePersonalCanned(http::Request& request) const;
  http::Response EditPersonalCanned(http::Request& request) const;
  http::Response DeletePersonalCanned(http::Request& request) const;

  http::Response Portal(http::Request& request) const;
  http::Response SavePortal(http::Request& request) const;
  http::Response Invite(http::Request& request) const;

  http::Response BulkUpdate(http::Request& request) const;

  // Public: /signup and /signup/complete.
  http::Response ShowSignUp(http::Request& request) const;
  http::Response SubmitSignUp(http::Request& request) const;
  http::Response ShowCompleteSignUp(http::Request& request) const;
  http::Response SubmitCompleteSignUp(http::Request& request) const;

 private:
  http::Response CannedPage(http::Request& request, bool shared, int status,
                            const std::string& error, const std::string& new_title,
                            const std::string& new_body) const;
  http::Response CannedChange(http::Request& request, bool shared, const char* what) const;

  storage::Database& db_;
  auth::SignInPolicy policy_;
  const core::Clock& clock_;
};

}  // namespace rampart::web
