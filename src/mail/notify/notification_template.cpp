#include "mail/notify/notification_template.h"

#include <algorithm>

#include "core/errors.h"
#include "core/strings.h"

namespace rampart::mail {
namespace {

bool KnownPlaceholder(std::string_view name) {
  return std::find(kPlaceholders.begin(), kPlaceholders.end(), name) != kPlaceholders.end();
}

std::size_t CountChars(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string CheckPart(std::string_view field, std::string_view text, std::size_t max_chars) {
  const std::string name(field);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw core::Invalid(name, "must not be empty");
  }
  if (!core::IsValidUtf8(text)) throw core::Invalid(name, "must be UTF-8 text");
  if (CountChars(text) > max_chars) {
    throw core::Invalid(name, "may be at most " + std::to_string(max_chars) + " characters");
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  for (std::size_t at = out.find("{{"); at != std::string::npos; at = out.find("{{", at + 2)) {
    const std::size_t end = out.find("}}", at + 2);
    if (end == std::string::npos) {
      throw core::Invalid(name, "has a \"{{\" without its \"}}\"");
    }
    const std::string placeholder = out.substr(at + 2, end - at - 2);
    if (!KnownPlaceholder(placeholder)) {
      const std::string shown =
          placeholder.size() > 40 ? placeholder.substr(0, 40) + "…" : placeholder;
      throw core::Invalid(name, "uses the unknown placeholder {{" + shown +
                                    "}}; known are {{ticket.number}}, {{ticket.subject}}, "
                                    "{{requester.name}}, {{agent.name}}, {{message.body}} and "
                                    "{{ticket.url}}");
    }
  }
  return out;
}

}  // namespace

std::string_view KindName(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kAcknowledgement: return "acknowledgement";
    case NotificationKind::kAgentReply: return "reply";
    case NotificationKind::kAssignment: return "assignment";
    case NotificationKind::kCustomerReply: return "customer_reply";
  }
  return "reply";
}

std::optional<NotificationKind> ParseKind(std::string_view name) {
  for (NotificationKind kind : kNotificationKinds) {
    if (KindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view KindLabel(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kAcknowledgement: return "New ticket received (to the requester)";
    case NotificationKind::kAgentReply: return "Agent reply (to the requester and CCs)";
    case NotificationKind::kAssignment: return "Ticket assigned (to the agent)";
    case NotificationKind::kCustomerReply: return "Customer replied (to the assigned agent)";
  }
  return "";
}

MailTemplate DefaultTemplate(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kAcknowledgement:
      return {"[{{ticket.number}}] {{ticket.subject}}",
              "Hello {{requester.name}},\n\nWe received your request and opened ticket "
              "{{ticket.number}}. We will answer as soon as we can.\n\nYou can follow it at "
              "{{ticket.url}} or answer this message to add to it.\n\n-- \nPlease keep the ticket "
              "number in the subject.\n"};
    case NotificationKind::kAgentReply:
      return {"[{{ticket.number}}] {{ticket.subject}}",
              "{{message.body}}\n\n-- \nReply to this message to answer on ticket "
              "{{ticket.number}}. Please keep the ticket number in the subject.\n"};
    case NotificationKind::kAssignment:
      return {"[{{ticket.number}}] Assigned to you: {{ticket.subject}}",
              "Hello {{agent.name}},\n\nTicket {{ticket.number}} from {{requester.name}} is now "
              "assigned to you.\n\n{{ticket.url}}\n"};
    case NotificationKind::kCustomerReply:
      return {"[{{ticket.number}}] New reply from {{requester.name}}: {{ticket.subject}}",
              "{{requester.name}} wrote on ticket {{ticket.number}}:\n\n{{message.body}}\n\n"
              "{{ticket.url}}\n"};
  }
  return {};
}

MailTemplate CheckTemplate(const MailTemplate& t) {
  return {CheckPart("subject", t.subject, kMaxSubjectTemplateChars),
          CheckPart("body", t.body, kMaxBodyTemplateChars)};
}

std::string Fill(std::string_view text, const TemplateValues& values) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t at = text.find("{{", pos);
    const std::size_t end = at == std::string_view::npos ? at : text.find("}}", at + 2);
    if (end == std::string_view::npos) break;
    out.append(text.substr(pos, at - pos));
    const std::string_view name = text.substr(at + 2, end - at - 2);
    if (KnownPlaceholder(name)) {
      if (const auto it = values.find(name); it != values.end()) out += it->second;
    } else {
      out.append(text.substr(at, end + 2 - at));  // CheckTemplate refuses these; kept as text
    }
    pos = end + 2;
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

std::string FillSubject(std::string_view subject, const TemplateValues& values) {
  std::string s = Fill(subject, values);
  for (char& c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++chars > kMaxFilledSubjectChars) {
      s.resize(i);
      break;
    }
  }
  return s;
}

std::string HtmlAlternative(std::string_view text) {
  std::string out =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>"
      "<div style=\"white-space: pre-wrap\">";
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\r': break;
      default: out.push_back(c);
    }
  }
  out += "</div></body></html>\n";
  return out;
}

}  // namespace rampart::mail
