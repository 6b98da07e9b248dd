#include "web/admin_mail_templates.h"

#include <ctemplate/template.h>

#include "core/errors.h"
#include "mail/notify/mail_templates.h"
#include "security/session_stage.h"
#include "web/caller.h"
#include "web/pages.h"

namespace rampart::web {
namespace {

using Dict = ctemplate::TemplateDictionary;

std::string FieldOf(const std::vector<std::pair<std::string, std::string>>& fields,
                    const std::string& name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return "";
}

// `shown` replaces what is stored (the admin's refused input, kept for correcting).
http::Response TemplatesPage(const Caller& c, storage::Database& db, const http::Request& r,
                             int status, const std::string& error,
                             const mail::MailTemplateSettings* shown) {
  const mail::MailTemplateSettings stored = mail::GetMailTemplates(c.actor(), db);
  const mail::MailTemplateSettings& s = shown != nullptr ? *shown : stored;
  return Page(status, "admin_mail_templates.tpl", "Mail templates", &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    if (r.QueryParam("done") == std::optional<std::string>("saved")) {
      d.AddSectionDictionary("NOTICE")->SetValue("MESSAGE", "Saved.");
    }
    if (!error.empty()) d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", error);
    if (s.acknowledge_new_tickets) d.ShowSection("ACKNOWLEDGE");
    d.SetIntValue("MAX_SUBJECT", static_cast<long>(mail::kMaxSubjectTemplateChars));
    d.SetIntValue("MAX_BODY", static_cast<long>(mail::kMaxBodyTemplateChars));
    for (std::string_view p : mail::kPlaceholders) {
      d.AddSectionDictionary("PLACEHOLDER")->SetValue("NAME", "{{" + std::string(p) + "}}");
    }
    for (const mail::KindTemplate& t : s.templates) {
      Dict* k = d.AddSectionDictionary("KIND");
      k->SetValue("KIND", std::string(mail::KindName(t.kind)));
      k->SetValue("LABEL", std::string(mail::KindLabel(t.kind)));
      k->SetValue("SUBJECT", t.text.subject);
      k->SetValue("BODY", t.text.body);
      k->SetIntValue("MAX_SUBJECT", static_cast<long>(mail::kMaxSubjectTemplateChars));
      k->SetIntValue("MAX_BODY", static_cast<long>(mail::kMaxBodyTemplateChars));
      if (!t.customized) k->ShowSection("DEFAULT");
    }
  });
}

}  // namespace

http::Response AdminMailTemplatePages::Show(http::Request& request) const {
  return TemplatesPage(AdminCaller(request), db_, request, 200, "", nullptr);
}

http::Response AdminMailTemplatePages::Save(http::Request& request) const {
  const Caller c = AdminCaller(request);
  auto fields = http::ParseForm(request.body);
  if (!fields) throw core::BadRequest("The form could not be read.");
  mail::MailTemplateSettings settings;
  settings.acknowledge_new_tickets = FieldOf(*fields, "acknowledge") == "1";
  for (mail::NotificationKind kind : mail::kNotificationKinds) {
    const std::string name(mail::KindName(kind));
    settings.templates.push_back(
        {kind, {FieldOf(*fields, name + ".subject"), FieldOf(*fields, name + ".body")}, true});
  }
  try {
    mail::SaveMailTemplates(c.actor(), db_, settings, clock_.NowUnixSeconds());
  } catch (const core::Invalid& e) {
    return TemplatesPage(c, db_, request, 422, e.UserText(), &settings);
  }
  return http::Response::Redirect("/admin/mail-templates?done=saved");
}

}  // namespace rampart::web
