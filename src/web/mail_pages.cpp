#include "web/mail_pages.h"

#include <ctemplate/template.h>

#include <charconv>

#include "core/errors.h"
#include "core/strings.h"
#include "mail/inbound/held_mail.h"
#include "mail/inbound/inline_images.h"
#include "mail/inbound/message_view.h"
#include "security/session_stage.h"
#include "security/stages.h"
#include "tickets/ticket.h"
#include "web/caller.h"
#include "web/pages.h"

namespace rampart::web {
namespace {

using Dict = ctemplate::TemplateDictionary;

std::int64_t IdFrom(std::string_view text) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  // A malformed id names nothing: the same answer as an id out of reach.
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    throw core::NotFound("malformed id");
  }
  return id;
}

std::string FormValue(const http::Request& r, std::string_view name) {
  const auto fields = http::ParseForm(r.body);
  if (!fields) throw core::BadRequest("The form could not be read.");
  for (const auto& [k, v] : *fields) {
    if (k == name) return v;
  }
  return "";
}

std::string When(std::int64_t unix_seconds) {
  std::string s = core::FormatUtc(unix_seconds);
  return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
}

void FillWaiting(Dict* d, const mail::WaitingMail& m) {
  d->SetIntValue("ID", static_cast<long>(m.id));
  d->SetValue("FROM", m.from_address);
  d->SetValue("SUBJECT", m.subject.empty() ? "(no subject)" : m.subject);
  d->SetValue("RECEIVED", When(m.received_at));
  d->SetValue("REASON", m.reason);
  d->SetValue("MAILBOX", m.mailbox);
  d->SetValue("KIND", m.quarantined ? "Quarantined" : "Held");
  d->SetValue("CHECKS", mail::DescribeSenderChecks(m.checks));
}

std::optional<std::string> NoticeFor(const http::Request& r) {
  const auto done = r.QueryParam("done");
  if (!done) return std::nullopt;
  if (*done == "discarded") return "The message was discarded.";
  return std::nullopt;
}

}  // namespace

http::Response MailPages::MessageFrame(http::Request& request) const {
  const Caller c = SignedInCaller(request);
  const std::int64_t id = IdFrom(request.PathParam("id"));
  std::string html;
  try {
    html = mail::MessageHtml(c.actor(), db_, request.PathParam("number"), id);
  } catch (const core::Invalid&) {
    // A malformed ticket number names nothing: the same answer as a message out of reach.
    throw core::NotFound("malformed ticket number");
  }
  if (files_)
    html = mail::WithInlineImages(html, mail::InlineImagesOf(c.actor(), db_, *files_, id));
  const bool images = request.QueryParam("images").value_or("") == "1";
  // The fragment was rebuilt from an allowlist when it was stored (mail::SanitizeHtml); this
  // document's own CSP (sandbox, no script, nothing fetched) is the second wall around it.
  std::string doc =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Message</title></head><body>";
  doc += html;
  doc += "</body></html>";
  http::Response r = http::Response::Html(200, std::move(doc));
  r.headers.Set("Content-Security-Policy", security::MailFramePolicy(images));
  r.headers.Set("X-Frame-Options", "SAMEORIGIN");
  r.headers.Set("X-Content-Type-Options", "nosniff");
  r.headers.Set("Cache-Control", "no-store");
  // The mail's links must not tell their targets which ticket they were read in.
  r.headers.Set("Referrer-Policy", "no-referrer");
  return r;
}

http::Response MailPages::WaitingList(http::Request& request) const {
  const Caller c = StaffCaller(request, "mail pages");
  const auto rows = mail::ListWaitingMail(c.actor(), db_);
  const auto notice = NoticeFor(request);
  return Page(200, "mail_held.tpl", "Held mail", &c.viewer, [&](Dict& d) {
    if (notice) d.AddSectionDictionary("NOTICE")->SetValue("MESSAGE", *notice);
    if (rows.empty())
      d.ShowSection("EMPTY");
    else
      d.ShowSection("HAS_ROWS");
    for (const auto& m : rows) FillWaiting(d.AddSectionDictionary("ROW"), m);
  });
}

http::Response MailPages::WaitingDetail(http::Request& request) const {
  const Caller c = StaffCaller(request, "mail pages");
  const auto detail = mail::GetWaitingMail(c.actor(), db_, IdFrom(request.PathParam("id")));
  const auto error = request.QueryParam("error");
  return Page(200, "mail_held_detail.tpl", "Held mail", &c.viewer, [&](Dict& d) {
    FillWaiting(&d, detail.mail);
    d.SetValue("TEXT", detail.text);
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    // Only known reasons are shown: the query string is not ours to echo.
    if (error && *error == "ticket") {
      d.AddSectionDictionary("ERROR")->SetValue("MESSAGE",
                                                "Enter a ticket number such as RMP-1042.");
    }
    if (!detail.mail.quarantined) d.ShowSection("CAN_IMPORT");
  });
}

http::Response MailPages::ReleaseNewTicket(http::Request& request) const {
  const Caller c = StaffCaller(request, "mail pages");
  const std::int64_t number = mail::ReleaseAsNewTicket(
      c.actor(), db_, IdFrom(request.PathParam("id")), clock_.NowUnixSeconds(), files_.get());
  return http::Response::Redirect("/agent/tickets/" + tickets::FormatTicketNumber(number));
}

http::Response MailPages::ReleaseToTicket(http::Request& request) const {
  const Caller c = StaffCaller(request, "mail pages");
  const std::int64_t id = IdFrom(request.PathParam("id"));
  const std::string ticket = FormValue(request, "ticket");
  try {
    const std::int64_t number =
        mail::AddToTicket(c.actor(), db_, id, ticket, clock_.NowUnixSeconds(), files_.get());
    return http::Response::Redirect("/agent/tickets/" + tickets::FormatTicketNumber(number));
  } catch (const core::Invalid& e) {
    // A malformed ticket number: the page again, with the reason. Nothing was changed.
    return http::Response::Redirect("/mail/held/" + std::to_string(id) + "?error=" + e.Field());
  }
}

http::Response MailPages::Discard(http::Request& request) const {
  const Caller c = StaffCaller(request, "mail pages");
  mail::DiscardWaitingMail(c.actor(), db_, IdFrom(request.PathParam("id")),
                           clock_.NowUnixSeconds());
  return http::Response::Redirect("/mail/held?done=discarded");
}

}  // namespace rampart::web
