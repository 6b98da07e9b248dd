#include "web/admin_mail_pages.h"

#include <ctemplate/template.h>

#include <algorithm>
#include <charconv>

#include "core/errors.h"
#include "mail/inbound/mailbox_admin.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "security/session_stage.h"
#include "tickets/helpdesk_admin.h"
#include "web/caller.h"
#include "web/pages.h"

namespace rampart::web {
namespace {

using Dict = ctemplate::TemplateDictionary;
using Form = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kInsecureWarning =
    "Certificate not verified: anyone on the path can read this mailbox's password and mail.";

std::string Field(const Form& form, std::string_view name) {
  for (const auto& [k, v] : form) {
    if (k == name) return v;
  }
  return "";
}

// A whole number of at most six digits; -1 otherwise, which the mailbox rules refuse with the
// field's own message.
int Number(const std::string& text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || text.size() > 6 || ec != std::errc() || end != text.data() + text.size() ||
      !std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return -1;
  }
  return value;
}

std::int64_t MailboxIdOf(const http::Request& r) {
  const std::string text = r.PathParam("id");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || text.size() > 18 || ec != std::errc() || end != text.data() + text.size() ||
      id <= 0) {
    throw core::NotFound("malformed mailbox id");
  }
  return id;
}

std::string Label(std::string_view field) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kLabels = {
      {"name", "Name"},
      {"address", "Address"},
      {"department_id", "Department"},
      {"imap_host", "IMAP host"},
      {"imap_port", "Port"},
      {"imap_username", "User name"},
      {"imap_password", "Password"},
      {"imap_folder", "Folder"},
      {"imap_ca_file", "CA file"},
      {"poll_seconds", "Poll interval"},
  };
  for (const auto& [key, words] : kLabels) {
    if (field == key) return std::string(words);
  }
  return std::string(field);
}

std::string When(std::int64_t unix_seconds) {
  const std::string s = core::FormatUtc(unix_seconds);
  return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
}

bool StartTls(const mail::MailboxSettings& m) {
  return m.imap_security == mail::ImapSettings::Security::kStartTls;
}

http::Response RenderForm(int status, const Caller& c, const mail::MailboxSettings& m,
                          const std::vector<tickets::DepartmentRow>& departments,
                          const std::vector<mail::MailboxProblem>& problems) {
  const bool editing = m.id != 0;
  const std::string title = editing ? "Mailbox " + m.name : "New mailbox";
  return Page(status, "admin_mailbox.tpl", title, &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.auth.session.csrf_token);
    d.SetValue("HEADING", title);
    d.SetValue("ACTION", editing ? "/admin/mailboxes/" + std::to_string(m.id) : "/admin/mailboxes");
    if (!problems.empty()) {
      Dict* errors = d.AddSectionDictionary("ERRORS");
      for (const auto& p : problems) {
        Dict* e = errors->AddSectionDictionary("ERROR");
        e->SetValue("FIELD_ID", "mailbox-" + p.field);
        e->SetValue("LABEL", Label(p.field));
        e->SetValue("TEXT", p.text);
      }
    }
    if (editing && m.insecure_skip_verify) {
      d.AddSectionDictionary("INSECURE_WARNING")->SetValue("TEXT", kInsecureWarning);
    }
    d.SetValue("NAME", m.name);
    d.SetValue("ADDRESS", m.address);
    d.SetValue("IMAP_HOST", m.imap_host);
    d.SetValue("IMAP_PORT", m.imap_port > 0 ? std::to_string(m.imap_port) : "");
    d.SetValue("IMAP_USERNAME", m.imap_username);
    d.SetValue("IMAP_FOLDER", m.imap_folder);
    d.SetValue("POLL_SECONDS", m.poll_seconds > 0 ? std::to_string(m.poll_seconds) : "");
    d.ShowSection(StartTls(m) ? "STARTTLS_CHECKED" : "TLS_CHECKED");
    if (m.insecure_skip_verify) d.ShowSection("INSECURE_CHECKED");
    if (m.enabled) d.ShowSection("ENABLED_CHECKED");
    if (editing) d.ShowSection(m.has_password ? "HAS_PASSWORD" : "NO_PASSWORD");
    if (editing) d.ShowSection("EDITING");
    for (const auto& dept : departments) {
      Dict* o = d.AddSectionDictionary("DEPARTMENT");
      o->SetIntValue("ID", static_cast<long>(dept.id));
      o->SetValue("NAME", dept.name);
      if (m.department_id == dept.id) o->ShowSection("SELECTED");
    }
  });
}

}  // namespace

http::Response AdminMailPages::Mailboxes(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const auto mailboxes = mail::ViewMailboxes(db_, c.actor());
  const auto departments = tickets::ListDepartments(c.actor(), db_);
  return Page(200, "admin_mailboxes.tpl", "Mailboxes", &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.auth.session.csrf_token);
    if (const auto done = request.QueryParam("done")) {
      std::string text;
      if (*done == "created") text = "The mailbox was added.";
      if (*done == "saved") text = "The mailbox was saved.";
      if (*done == "disabled") text = "The mailbox was disabled: it is no longer polled.";
      if (!text.empty()) d.AddSectionDictionary("NOTICE")->SetValue("MESSAGE", text);
    }
    if (mailboxes.empty()) d.ShowSection("NONE");
    for (const auto& m : mailboxes) {
      if (m.insecure_skip_verify) {
        Dict* w = d.AddSectionDictionary("INSECURE");
        w->SetValue("NAME", m.name);
        w->SetValue("TEXT", kInsecureWarning);
      }
    }
    if (!mailboxes.empty()) {
      Dict* table = d.AddSectionDictionary("TABLE");
      for (const auto& m : mailboxes) {
        Dict* row = table->AddSectionDictionary("MAILBOX");
        row->SetIntValue("ID", static_cast<long>(m.id));
        row->SetValue("NAME", m.name);
        row->SetValue("ADDRESS", m.address);
        std::string department = "none";
        for (const auto& dept : departments) {
          if (m.department_id == dept.id) department = dept.name;
        }
        row->SetValue("DEPARTMENT", department);
        if (m.imap_host.empty()) {
          row->SetValue("IMAP", "none (mail is piped in)");
          row->SetValue("SECURITY", "");
        } else {
          row->SetValue("IMAP", m.imap_username + "@" + m.imap_host + ":" +
                                    std::to_string(m.imap_port) + " (" + m.imap_folder + ")");
          row->SetValue("SECURITY", StartTls(m) ? "STARTTLS" : "TLS");
          if (m.insecure_skip_verify) row->ShowSection("ROW_INSECURE");
        }
        row->SetValue("LAST_POLL", m.last_poll_at == 0
                                       ? std::string("never")
                                       : When(m.last_poll_at) + ": " + m.last_poll_result);
        row->SetValue("ENABLED", m.enabled ? "yes" : "no");
        if (m.enabled) row->ShowSection("CAN_DISABLE");
      }
    }
  });
}

http::Response AdminMailPages::NewMailbox(http::Request& request) const {
  const Caller c = AdminCaller(request);
  mail::ViewMailboxes(db_, c.actor());  // the permission check, before anything is shown
  mail::MailboxSettings blank;
  return RenderForm(200, c, blank, tickets::ListDepartments(c.actor(), db_), {});
}

http::Response AdminMailPages::Mailbox(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const auto m = mail::ViewMailbox(db_, c.actor(), MailboxIdOf(request));
  return RenderForm(200, c, m, tickets::ListDepartments(c.actor(), db_), {});
}

http::Response AdminMailPages::CreateMailbox(http::Request& request) const {
  return SaveFromForm(request, 0);
}

http::Response AdminMailPages::UpdateMailbox(http::Request& request) const {
  return SaveFromForm(request, MailboxIdOf(request));
}

http::Response AdminMailPages::SaveFromForm(http::Request& request, std::int64_t id) const {
  const Caller c = AdminCaller(request);
  // The permission (and, on an edit, the mailbox) first: nothing about the form is read for
  // someone who may not change it.
  mail::MailboxSettings m =
      id != 0 ? mail::ViewMailbox(db_, c.actor(), id) : mail::MailboxSettings{};
  if (id == 0) mail::ViewMailboxes(db_, c.actor());
  const auto form = http::ParseForm(request.body);
  if (!form) throw core::BadRequest("The form could not be read.");
  const std::string security = Field(*form, "imap_security");
  if (security != "tls" && security != "starttls") {
    throw core::BadRequest("Choose TLS or STARTTLS.");
  }
  m.name = Field(*form, "name");
  m.address = Field(*form, "address");
  const std::string department = Field(*form, "department_id");
  m.department_id = std::nullopt;
  if (!department.empty()) {
    const int number = Number(department);
    m.department_id = number > 0 ? number : -1;
  }
  m.imap_host = Field(*form, "imap_host");
  m.imap_port = Number(Field(*form, "imap_port"));
  m.imap_security = security == "starttls" ? mail::ImapSettings::Security::kStartTls
                                           : mail::ImapSettings::Security::kImplicitTls;
  m.imap_username = Field(*form, "imap_username");
  m.imap_password = Field(*form, "imap_password");
  m.imap_folder = Field(*form, "imap_folder");
  m.poll_seconds = Number(Field(*form, "poll_seconds"));
  m.insecure_skip_verify = Field(*form, "insecure_skip_verify") == "1";
  m.enabled = Field(*form, "enabled") == "1";
  const auto saved =
      mail::SaveMailbox(db_, *box_, c.actor(), m, request.client_address, clock_.NowUnixSeconds());
  if (!saved.problems.empty()) {
    metrics::Registry::Global().CountEvent("mailbox_admin", "refused");
    log::Info("mailbox_refused", log::Fields()
                                     .Add("request_id", request.request_id)
                                     .Add("user_id", c.actor().user_id)
                                     .Add("field", saved.problems.front().field));
    m.imap_password.clear();  // never shown back
    return RenderForm(422, c, m, tickets::ListDepartments(c.actor(), db_), saved.problems);
  }
  if (m.insecure_skip_verify) {
    // Kept visible to whoever watches the logs, not only to those who open the admin pages.
    metrics::Registry::Global().CountEvent("mailbox_admin", "saved_without_verification");
    log::Warn("mailbox_certificate_verification_off", log::Fields()
                                                          .Add("request_id", request.request_id)
                                                          .Add("user_id", c.actor().user_id)
                                                          .Add("mailbox_id", saved.id));
  }
  metrics::Registry::Global().CountEvent("mailbox_admin", id == 0 ? "created" : "updated");
  log::Info(id == 0 ? "mailbox_created" : "mailbox_updated",
            log::Fields()
                .Add("request_id", request.request_id)
                .Add("user_id", c.actor().user_id)
                .Add("mailbox_id", saved.id)
                .Add("insecure_skip_verify", m.insecure_skip_verify ? "true" : "false"));
  return http::Response::Redirect(std::string("/admin/mailboxes?done=") +
                                  (id == 0 ? "created" : "saved"));
}

http::Response AdminMailPages::DisableMailbox(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const std::int64_t id = MailboxIdOf(request);
  mail::DisableMailbox(db_, c.actor(), id, request.client_address, clock_.NowUnixSeconds());
  metrics::Registry::Global().CountEvent("mailbox_admin", "disabled");
  log::Info("mailbox_disabled", log::Fields()
                                    .Add("request_id", request.request_id)
                                    .Add("user_id", c.actor().user_id)
                                    .Add("mailbox_id", id));
  return http::Response::Redirect("/admin/mailboxes?done=disabled");
}

namespace {

void FillDns(Dict& d, const Caller& c, const mail::MailDnsSettings& settings,
             const std::vector<mail::DnsRecordToPublish>& records,
             const std::vector<mail::DnsRecordCheck>* checks) {
  d.SetValue("CSRF_TOKEN", c.auth.session.csrf_token);
  for (const auto& p : settings.problems) d.AddSectionDictionary("PROBLEM")->SetValue("TEXT", p);
  if (records.empty()) d.ShowSection("NOT_CONFIGURED");
  if (!records.empty()) d.ShowSection("CAN_CHECK");
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    Dict* row = d.AddSectionDictionary("RECORD");
    row->SetValue("KIND", r.kind);
    row->SetValue("NAME", r.name);
    row->SetValue("VALUE", r.value);
    row->SetValue("NOTE", r.note);
    row->SetValue("EXACT", r.exact ? "publish exactly" : "suggestion");
    if (checks == nullptr || i >= checks->size()) continue;
    const auto& check = (*checks)[i];
    Dict* result = row->AddSectionDictionary("CHECK");
    const std::string_view state = mail::DnsRecordStateName(check.state);
    result->SetValue("STATE", std::string(state));
    std::string words;
    switch (check.state) {
      case mail::DnsRecordState::kMatches: words = "Published as shown."; break;
      case mail::DnsRecordState::kFound:
        words =
            "A record is published; it differs from the suggestion. Check that it lists "
            "everything you need.";
        break;
      case mail::DnsRecordState::kDifferent:
        words = r.kind == "DKIM" ? "A different key is published: signatures will not verify."
                                 : "More than one record is published: receivers ignore them all.";
        break;
      case mail::DnsRecordState::kMissing: words = "Nothing is published at this name."; break;
      case mail::DnsRecordState::kUnknown:
        words = "The lookup failed for now (timeout or server failure): try again later.";
        break;
    }
    result->SetValue("WORDS", words);
    for (const auto& found : check.found) {
      result->AddSectionDictionary("FOUND")->SetValue("VALUE", found);
    }
  }
}

}  // namespace

http::Response AdminMailPages::MailDns(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const auto records = mail::MailDnsRecords(c.actor(), dns_settings_);
  return Page(200, "admin_mail_dns.tpl", "Mail DNS records", &c.viewer,
              [&](Dict& d) { FillDns(d, c, dns_settings_, records, nullptr); });
}

http::Response AdminMailPages::CheckMailDns(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const auto records = mail::MailDnsRecords(c.actor(), dns_settings_);
  const auto checks = mail::CheckMailDns(c.actor(), dns_settings_, *resolver_);
  std::int64_t matching = 0;
  for (const auto& check : checks) {
    if (check.state == mail::DnsRecordState::kMatches) ++matching;
  }
  log::Info("mail_dns_checked", log::Fields()
                                    .Add("request_id", request.request_id)
                                    .Add("user_id", c.actor().user_id)
                                    .Add("records", static_cast<std::int64_t>(checks.size()))
                                    .Add("matching", matching));
  return Page(200, "admin_mail_dns.tpl", "Mail DNS records", &c.viewer,
              [&](Dict& d) { FillDns(d, c, dns_settings_, records, &checks); });
}

}  // namespace rampart::web
