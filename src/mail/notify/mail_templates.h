#pragma once
#include <cstdint>
#include <vector>

#include "auth/actor.h"
#include "mail/notify/notification_template.h"
#include "storage/database.h"

// The admin's action on notification mail: the templates and whether new tickets are
// acknowledged. Needs settings.helpdesk; a save is audited in its transaction.
namespace rampart::mail {

struct KindTemplate {
  NotificationKind kind = NotificationKind::kAcknowledgement;
  MailTemplate text;
  bool customized = false;  // an admin saved it (else the shipped default)
};

struct MailTemplateSettings {
  bool acknowledge_new_tickets = true;
  std::vector<KindTemplate> templates;  // one per kind, in kNotificationKinds order
};

MailTemplateSettings GetMailTemplates(const auth::Actor& actor, storage::Database& db);

// Checks every template first (core::Invalid naming "<kind>.subject" or "<kind>.body"), then
// stores them all and the switch in one transaction. A template equal to the default is stored
// as no template, so that later improvements of the default reach it.
void SaveMailTemplates(const auth::Actor& actor, storage::Database& db,
                       const MailTemplateSettings& settings, std::int64_t now);

}  // namespace rampart::mail
