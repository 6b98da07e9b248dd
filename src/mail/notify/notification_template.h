#pragma once
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

// The mail the helpdesk sends about tickets, as templates an admin may edit: one subject and
// one body per kind, with {{placeholders}} filled as plain text. Nothing here is HTML: the HTML
// alternative is made by escaping the filled text, so no template and no value can add markup.
namespace rampart::mail {

enum class NotificationKind {
  kAcknowledgement,  // to the requester: we received your ticket
  kAgentReply,       // to the requester and CCs: an agent answered
  kAssignment,       // to the agent a ticket was assigned to
  kCustomerReply,    // to the assigned agent: the customer answered
};
inline constexpr std::array<NotificationKind, 4> kNotificationKinds = {
    NotificationKind::kAcknowledgement, NotificationKind::kAgentReply,
    NotificationKind::kAssignment, NotificationKind::kCustomerReply};

// The outbox kind and the stored name ("reply" stays the agent reply's kind: the sender marks
// every other kind Auto-Submitted).
std::string_view KindName(NotificationKind kind);
std::optional<NotificationKind> ParseKind(std::string_view name);
// The admin page's words for it.
std::string_view KindLabel(NotificationKind kind);

inline constexpr std::size_t kMaxSubjectTemplateChars = 300;
inline constexpr std::size_t kMaxBodyTemplateChars = 10'000;
// A filled subject is cut here (a ticket subject may be long on its own).
inline constexpr std::size_t kMaxFilledSubjectChars = 400;

struct MailTemplate {
  std::string subject;
  std::string body;
};

// What ships in the code; used until an admin saves their own.
MailTemplate DefaultTemplate(NotificationKind kind);

// The placeholders a template may use, in the order the admin page lists them.
inline constexpr std::array<std::string_view, 6> kPlaceholders = {
    "ticket.number", "ticket.subject", "requester.name",
    "agent.name",    "message.body",   "ticket.url"};

// Values by placeholder name; a placeholder without a value fills as "".
using TemplateValues = std::map<std::string, std::string, std::less<>>;

// Refuses (core::Invalid, naming the field and the placeholder) a template that is empty, too
// long, not UTF-8, uses an unknown placeholder or leaves a "{{" unclosed. Returns the template
// with CRLF line ends made LF.
MailTemplate CheckTemplate(const MailTemplate& t);

// The text with every placeholder replaced by its value, in one pass: a value that itself reads
// "{{agent.name}}" stays as it is.
std::string Fill(std::string_view text, const TemplateValues& values);
// A subject line: filled, then every control character (CR and LF included) made a space and the
// length bounded, so that nothing a customer typed can start a header of its own.
std::string FillSubject(std::string_view subject, const TemplateValues& values);
// The HTML alternative of a plain-text body: every character escaped, line breaks kept.
std::string HtmlAlternative(std::string_view text);

}  // namespace rampart::mail
