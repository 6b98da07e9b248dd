#pragma once
#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"

namespace rampart::web {

// /admin/mail-templates: the wording of each notification mail and whether new tickets are
// acknowledged. Adapters only: the action (mail/notify) checks settings.helpdesk, validates
// every placeholder and audits the change. 403 for everyone without the permission.
class AdminMailTemplatePages {
 public:
  AdminMailTemplatePages(storage::Database& db, const core::Clock& clock)
      : db_(db), clock_(clock) {}

  http::Response Show(http::Request& request) const;
  http::Response Save(http::Request& request) const;

 private:
  storage::Database& db_;
  const core::Clock& clock_;
};

}  // namespace rampart::web
