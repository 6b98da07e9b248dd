#include "mail/auth/dns_records.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/errors.h"
#include "core/strings.h"

namespace rampart::mail {
namespace {

// DNS answers are outside data: a page shows at most this much of them.
constexpr std::size_t kMaxRecordsShown = 10;
constexpr std::size_t kMaxRecordBytes = 2048;

void RequirePermission(const auth::Actor& actor) {
  if (!auth::Authorize(actor, auth::Permission::kSettingsHelpdesk)) {
    throw core::Forbidden("mail DNS records without settings.helpdesk");
  }
}

std::string DomainOf(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? std::string() : core::ToLower(address.substr(at + 1));
}

// "v=DMARC1; p=quarantine" -> {v: DMARC1, p: quarantine}: names lower-cased, white space
// removed (RFC 6376 §3.2 and RFC 7489 §6.4 allow it around tags and inside base64 values).
std::map<std::string, std::string> Tags(std::string_view record) {
  std::map<std::string, std::string> tags;
  for (const std::string_view part : core::Split(record, ';')) {
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name = core::ToLower(core::Trim(part.substr(0, eq)));
    std::string value;
    for (const char ch : part.substr(eq + 1)) {
      if (std::isspace(static_cast<unsigned char>(ch)) == 0) value.push_back(ch);
    }
    if (!name.empty()) tags[name] = value;
  }
  return tags;
}

bool StartsWithTag(std::string_view record, std::string_view version) {
  const std::string lowered = core::ToLower(core::Trim(record));
  if (lowered.rfind(core::ToLower(version), 0) != 0) return false;
  return lowered.size() == version.size() || lowered[version.size()] == ' ' ||
         lowered[version.size()] == ';';
}

// Lower case, single spaces: how SPF terms compare (RFC 7208 §4.6.1).
std::string SpfWords(std::string_view record) {
  std::string out;
  bool space = false;
  for (const char ch : core::Trim(record)) {
    if (std::isspace(static_cast<unsigned char>(ch)) != 0) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  return out;
}

bool SameDkimKey(std::string_view published, std::string_view ours) {
  auto a = Tags(published);
  auto b = Tags(ours);
  if (a["k"].empty()) a["k"] = "rsa";  // the default key type (RFC 6376 §3.6.1)
  if (b["k"].empty()) b["k"] = "rsa";
  return !a["p"].empty() && a["p"] == b["p"] && core::ToLower(a["k"]) == core::ToLower(b["k"]);
}

std::vector<std::string> Bounded(const std::vector<std::string>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) {
    if (out.size() == kMaxRecordsShown) break;
    out.push_back(r.size() > kMaxRecordBytes ? r.substr(0, kMaxRecordBytes) + "..." : r);
  }
  return out;
}

DnsRecordCheck Check(const DnsRecordToPublish& record, DnsResolver& resolver) {
  DnsRecordCheck check{record, DnsRecordState::kMissing, {}};
  const TxtAnswer answer = resolver.LookupTxt(record.name);
  if (answer.status == TxtAnswer::Status::kTempFail) {
    check.state = DnsRecordState::kUnknown;
    return check;
  }
  if (record.kind == "DKIM") {
    check.found = Bounded(answer.records);
    if (answer.records.empty()) return check;
    const bool same =
        std::any_of(answer.records.begin(), answer.records.end(),
                    [&](const std::string& r) { return SameDkimKey(r, record.value); });
    check.state = same ? DnsRecordState::kMatches : DnsRecordState::kDifferent;
    return check;
  }
  // SPF shares its name with every other TXT record of the domain: only its own are shown.
  const std::string version = record.kind == "SPF" ? "v=spf1" : "v=DMARC1";
  std::vector<std::string> own;
  for (const auto& r : answer.records) {
    if (StartsWithTag(r, version)) own.push_back(r);
  }
  check.found = Bounded(own);
  if (own.empty()) return check;
  // More than one record of a kind makes receivers ignore all of them (RFC 7208 §4.5,
  // RFC 7489 §6.6.3).
  if (own.size() > 1) {
    check.state = DnsRecordState::kDifferent;
    return check;
  }
  const bool same = record.kind == "SPF" ? SpfWords(own.front()) == SpfWords(record.value)
                                         : Tags(own.front()) == Tags(record.value);
  check.state = same ? DnsRecordState::kMatches : DnsRecordState::kFound;
  return check;
}

}  // namespace

std::string_view DnsRecordStateName(DnsRecordState state) {
  switch (state) {
    case DnsRecordState::kMatches: return "matches";
    case DnsRecordState::kFound: return "found";
    case DnsRecordState::kDifferent: return "different";
    case DnsRecordState::kMissing: return "missing";
    case DnsRecordState::kUnknown: return "unknown";
  }
  return "unknown";
}

std::vector<DnsRecordToPublish> MailDnsRecords(const auth::Actor& actor,
                                               const MailDnsSettings& settings) {
  RequirePermission(actor);
  std::vector<DnsRecordToPublish> out;
  const std::string domain = settings.from_address.empty() ? core::ToLower(settings.dkim_domain)
                                                           : DomainOf(settings.from_address);
  for (const auto& key : settings.dkim_keys) {
    out.push_back({"DKIM", key.selector + "._domainkey." + core::ToLower(settings.dkim_domain),
                   key.record,
                   "The public half of the signing key: publish it exactly as shown (a DNS "
                   "provider may split it into strings of at most 255 characters).",
                   true});
  }
  if (domain.empty()) return out;
  const std::string relay =
      settings.smtp_host.empty() ? std::string() : " a:" + core::ToLower(settings.smtp_host);
  out.push_back({"SPF", domain, "v=spf1 mx" + relay + " -all",
                 "A suggestion: list every server that sends mail for " + domain +
                     ", above all your SMTP relay (a mail provider documents its own "
                     "include:, e.g. include:_spf.provider.example). -all asks receivers to "
                     "refuse every other sender. Publish one SPF record only.",
                 false});
  if (!settings.from_address.empty()) {
    out.push_back({"DMARC", "_dmarc." + domain,
                   "v=DMARC1; p=quarantine; rua=mailto:" + settings.from_address,
                   "A suggestion: receivers put mail from " + domain +
                       " that fails DKIM and SPF alignment in spam, and send their daily reports "
                       "to the From address.",
                   false});
  }
  return out;
}

std::vector<DnsRecordCheck> CheckMailDns(const auth::Actor& actor, const MailDnsSettings& settings,
                                         DnsResolver& resolver) {
  std::vector<DnsRecordCheck> out;
  for (const auto& record : MailDnsRecords(actor, settings)) out.push_back(Check(record, resolver));
  return out;
}

}  // namespace rampart::mail
