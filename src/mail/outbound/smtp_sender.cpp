#include "mail/outbound/smtp_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

namespace rampart::mail {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t ReadMessage(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// "<address>" for MAIL FROM and RCPT TO (built by appending: GCC 12 reports a false -Wrestrict
// on the operator+ chain at -O3).
std::string Bracketed(std::string_view address) {
  std::string out;
  out.reserve(address.size() + 2);
  out.push_back('<');
  out.append(address);
  out.push_back('>');
  return out;
}

SmtpOutcome Failure(SmtpOutcome::Kind kind, long code, std::string detail) {
  return {kind, code, std::move(detail)};
}

}  // namespace

bool IsEnvelopeAddress(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  return std::none_of(address.begin(), address.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == ',' || c == '"' || c == '\\';
  });
}

SmtpOutcome SendMail(const SmtpSettings& settings, std::string_view envelope_from,
                     const std::vector<std::string>& recipients, std::string_view message) {
  if (!IsEnvelopeAddress(envelope_from)) {
    return Failure(SmtpOutcome::Kind::kPermanent, 0, "invalid envelope sender");
  }
  if (recipients.empty()) return Failure(SmtpOutcome::Kind::kPermanent, 0, "no recipient");
  for (const auto& recipient : recipients) {
    if (!IsEnvelopeAddress(recipient)) {
      return Failure(SmtpOutcome::Kind::kPermanent, 0, "invalid recipient address");
    }
  }
  GlobalInit();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Failure(SmtpOutcome::Kind::kTemporary, 0, "could not start an SMTP client");
  CURL* h = curl.get();
  const bool implicit = settings.security == SmtpSettings::Security::kImplicitTls;
  const std::string url = std::string(implicit ? "smtps://" : "smtp://") + settings.host + ":" +
                          std::to_string(settings.port);
  const std::string from = Bracketed(envelope_from);
  curl_slist* rcpt = nullptr;
  for (const auto& recipient : recipients) {
    rcpt = curl_slist_append(rcpt, Bracketed(recipient).c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt_owner(rcpt, curl_slist_free_all);
  Upload upload{message};
  char error[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, implicit ? "smtps" : "smtp");
  curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, settings.insecure_skip_verify ? 0L : 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, settings.insecure_skip_verify ? 0L : 2L);
  curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!settings.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings.ca_file.c_str());
  if (!settings.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, settings.password.c_str());
    // PLAIN only (always inside TLS here): after a refused password, falling back to LOGIN
    // would offer the same wrong secret again and stall on some servers.
    curl_easy_setopt(h, CURLOPT_LOGIN_OPTIONS, "AUTH=PLAIN");
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadMessage);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT, settings.timeout_seconds);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, std::min(settings.timeout_seconds, 15L));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);

  const CURLcode result = curl_easy_perform(h);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  if (result == CURLE_OK) return {SmtpOutcome::Kind::kSent, code, "sent"};
  std::string detail = error[0] != '\0' ? error : curl_easy_strerror(result);
  if (code >= 500 && code < 600) return Failure(SmtpOutcome::Kind::kPermanent, code, detail);
  return Failure(SmtpOutcome::Kind::kTemporary, code, detail);
}

}  // namespace rampart::mail
