#include "mail/auth/dmarc.h"

#include <cctype>

namespace rampart::mail {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsPolicy(const std::string& value) {
  return value == "none" || value == "quarantine" || value == "reject";
}

std::optional<DmarcAlignment> AlignmentFrom(const std::string& value) {
  if (value == "r") return DmarcAlignment::kRelaxed;
  if (value == "s") return DmarcAlignment::kStrict;
  return std::nullopt;
}

bool Aligned(const std::string& from_domain, std::string_view other, DmarcAlignment mode,
             const PublicSuffixList& suffixes) {
  const std::string domain = NormalizedDomain(other);
  if (domain.empty()) return false;
  if (mode == DmarcAlignment::kStrict) return domain == from_domain;
  const std::string from_org = suffixes.OrganizationalDomain(from_domain);
  return !from_org.empty() && suffixes.OrganizationalDomain(domain) == from_org;
}

// The one DMARC record at `name`: several records, like none, mean no policy (§6.6.3).
std::optional<DmarcRecord> RecordAt(const std::string& name, DnsResolver& resolver,
                                    bool& temp_error) {
  const TxtAnswer answer = resolver.LookupTxt(name);
  if (answer.status == TxtAnswer::Status::kTempFail) {
    temp_error = true;
    return std::nullopt;
  }
  std::optional<DmarcRecord> found;
  int count = 0;
  for (const std::string& text : answer.records) {
    if (auto record = ParseDmarcRecord(text)) {
      found = std::move(record);
      ++count;
    }
  }
  return count == 1 ? found : std::nullopt;
}

}  // namespace

std::optional<DmarcRecord> ParseDmarcRecord(std::string_view txt) {
  DmarcRecord record;
  bool first = true;
  std::size_t start = 0;
  while (start <= txt.size()) {
    std::size_t end = txt.find(';', start);
    if (end == std::string_view::npos) end = txt.size();
    const std::string_view tag = Trim(txt.substr(start, end - start));
    start = end + 1;
    if (tag.empty()) {
      if (first) return std::nullopt;
      continue;
    }
    const auto equals = tag.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    const std::string name = Lower(Trim(tag.substr(0, equals)));
    const std::string value = Lower(Trim(tag.substr(equals + 1)));
    if (first) {
      if (name != "v" || Trim(tag.substr(equals + 1)) != "DMARC1") return std::nullopt;
      first = false;
      continue;
    }
    if (name == "p") {
      if (!IsPolicy(value)) return std::nullopt;
      record.policy = value;
    } else if (name == "sp") {
      if (!IsPolicy(value)) return std::nullopt;
      record.subdomain_policy = value;
    } else if (name == "adkim" || name == "aspf") {
      const auto mode = AlignmentFrom(value);
      if (!mode) return std::nullopt;
      (name == "adkim" ? record.dkim_alignment : record.spf_alignment) = *mode;
    }
  }
  if (first) return std::nullopt;
  // A record without p= keeps p=none (§6.6.3 asks so when it names a report address).
  return record;
}

SenderEvidence EvidenceFrom(std::string_view from_domain, const std::vector<AuthResult>& trusted,
                            const std::vector<std::string>& verified_dkim_domains) {
  SenderEvidence evidence;
  evidence.from_domain = NormalizedDomain(from_domain);
  evidence.dkim_pass_domains = verified_dkim_domains;
  for (const AuthResult& result : trusted) {
    if (result.result != "pass") continue;
    if (result.method == "dkim") {
      if (auto d = result.Property("header.d"); !d.empty()) evidence.dkim_pass_domains.push_back(d);
    } else if (result.method == "spf") {
      std::string mail_from = result.Property("smtp.mailfrom");
      if (const auto at = mail_from.rfind('@'); at != std::string::npos) {
        mail_from = mail_from.substr(at + 1);
      }
      if (!mail_from.empty()) evidence.spf_pass_domain = mail_from;
    }
  }
  return evidence;
}

std::string DmarcVerdict::ResultName() const {
  switch (result) {
    case Result::kPass: return "pass";
    case Result::kFail: return "fail";
    case Result::kNone: return "none";
    case Result::kTempError: return "temperror";
  }
  return "none";
}

DmarcVerdict EvaluateDmarc(const SenderEvidence& evidence, DnsResolver& resolver,
                           const PublicSuffixList& suffixes) {
  DmarcVerdict verdict;
  const std::string& from = evidence.from_domain;
  if (from.empty()) {
    verdict.result = DmarcVerdict::Result::kFail;  // no usable From domain: nothing can align
    return verdict;
  }
  bool temp_error = false;
  bool at_organization = false;
  std::optional<DmarcRecord> record = RecordAt("_dmarc." + from, resolver, temp_error);
  const std::string organization = suffixes.OrganizationalDomain(from);
  if (!record && !temp_error && organization != from) {
    record = RecordAt("_dmarc." + organization, resolver, temp_error);
    at_organization = record.has_value();
  }
  const DmarcRecord rules = record.value_or(DmarcRecord{});
  for (const std::string& domain : evidence.dkim_pass_domains) {
    if (Aligned(from, domain, rules.dkim_alignment, suffixes)) {
      verdict.aligned_pass = true;
      verdict.aligned_by = "dkim:" + NormalizedDomain(domain);
      break;
    }
  }
  if (!verdict.aligned_pass && !evidence.spf_pass_domain.empty() &&
      Aligned(from, evidence.spf_pass_domain, rules.spf_alignment, suffixes)) {
    verdict.aligned_pass = true;
    verdict.aligned_by = "spf:" + NormalizedDomain(evidence.spf_pass_domain);
  }
  if (record) {
    verdict.policy =
        at_organization && !rules.subdomain_policy.empty() ? rules.subdomain_policy : rules.policy;
    verdict.result =
        verdict.aligned_pass ? DmarcVerdict::Result::kPass : DmarcVerdict::Result::kFail;
  } else {
    verdict.result = temp_error ? DmarcVerdict::Result::kTempError : DmarcVerdict::Result::kNone;
  }
  return verdict;
}

}  // namespace rampart::mail
