#include "mail/inbound/bounce.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace rampart::mail {
namespace {

constexpr std::size_t kMaxDiagnosticBytes = 300;
constexpr std::size_t kMaxHeaderBlockBytes = 64 * 1024;

bool StartsWithIgnoreCase(std::string_view line, std::string_view prefix) {
  if (line.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), line.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

// The unfolded "Name: value" fields of a header block (or of the per-recipient groups of a
// delivery-status part, which have the same syntax), up to the first empty line when
// `stop_at_blank`.
std::vector<std::pair<std::string, std::string>> Fields(std::string_view text, bool stop_at_blank) {
  std::vector<std::pair<std::string, std::string>> fields;
  text = text.substr(0, std::min(text.size(), kMaxHeaderBlockBytes));
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (stop_at_blank) break;
      continue;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !fields.empty()) {
      fields.back().second += " ";
      fields.back().second += line.substr(line.find_first_not_of(" \t"));
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    std::string_view value = line.substr(colon + 1);
    const std::size_t first = value.find_first_not_of(" \t");
    value = first == std::string_view::npos ? std::string_view() : value.substr(first);
    fields.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return fields;
}

std::string FieldValue(const std::vector<std::pair<std::string, std::string>>& fields,
                       std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key.size() == name.size() && StartsWithIgnoreCase(key, name)) return value;
  }
  return {};
}

// "rfc822; ana@customer.example" gives the address; a value without a type is taken whole.
std::string AddressOf(std::string_view value) {
  if (const auto semi = value.find(';'); semi != std::string_view::npos) {
    value = value.substr(semi + 1);
  }
  std::string out;
  for (char c : value) {
    if (c == '<' || c == '>' || std::isspace(static_cast<unsigned char>(c))) continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out.size() > 254 ? std::string() : out;
}

// One line of the remote server's words, without control characters, at most a few hundred
// bytes (cut at a character boundary).
std::string OneLine(std::string_view value) {
  std::string out;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    out.push_back(c);
  }
  if (out.size() > kMaxDiagnosticBytes) {
    out.resize(kMaxDiagnosticBytes);
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out += "…";
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  out.erase(0, std::min(out.size(), out.find_first_not_of(' ')));
  return out;
}

void AddIds(std::vector<std::string>& ids, const std::vector<std::string>& more) {
  for (const auto& id : more) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
}

}  // namespace

BounceReport ReadBounce(const mime::EmailMessage& m) {
  BounceReport report;
  for (const mime::EmailAttachment& part : m.attachments) {
    const std::string& type = part.declared_type;
    if (type == "message/delivery-status" || type == "message/global-delivery-status") {
      const auto fields = Fields(part.bytes, false);
      if (report.recipient.empty()) {
        report.recipient = AddressOf(FieldValue(fields, "Final-Recipient"));
        if (report.recipient.empty()) {
          report.recipient = AddressOf(FieldValue(fields, "Original-Recipient"));
        }
      }
      if (report.diagnostic.empty()) {
        std::string diagnostic = FieldValue(fields, "Diagnostic-Code");
        // "smtp; 550 5.1.1 No such user": the type before the semicolon is not for people.
        if (diagnostic.find(';') < 16) {
          diagnostic.erase(0, diagnostic.find(';') + 1);
        }
        if (diagnostic.empty()) {
          const std::string status = FieldValue(fields, "Status");
          if (!status.empty()) diagnostic = "status " + status;
        }
        report.diagnostic = OneLine(diagnostic);
      }
    } else if (type == "message/rfc822" || type == "text/rfc822-headers" ||
               type == "message/global" || type == "message/global-headers") {
      AddIds(report.original_ids,
             mime::MessageIds(FieldValue(Fields(part.bytes, true), "Message-ID")));
    }
  }
  // Daemons that return the message inline, in the text.
  if (report.original_ids.empty()) {
    for (const auto& [key, value] : Fields(m.text_body, false)) {
      if (key.size() == 10 && StartsWithIgnoreCase(key, "Message-ID")) {
        AddIds(report.original_ids, mime::MessageIds(value));
      }
    }
  }
  AddIds(report.original_ids, m.in_reply_to);
  AddIds(report.original_ids, m.references);
  return report;
}

std::optional<BouncedMail> FindBouncedMail(storage::Connection& c, const BounceReport& report) {
  for (const std::string& id : report.original_ids) {
    if (const auto row = c.QueryOne(
            "SELECT ticket_id, recipient FROM mail_sent_ids WHERE message_id = ?", {id})) {
      return BouncedMail{row->Int(0), row->Text(1)};
    }
  }
  return std::nullopt;
}

}  // namespace rampart::mail
