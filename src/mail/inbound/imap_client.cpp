#include "mail/inbound/imap_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <mutex>

namespace rampart::mail {
namespace {

struct Sink {
  std::string data;
  std::size_t max_bytes = 0;
  bool truncated = false;
};

std::size_t Collect(char* bytes, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t n = size * count;
  if (sink->data.size() + n > sink->max_bytes) {
    sink->data.append(bytes, sink->max_bytes - sink->data.size());
    sink->truncated = true;
    return 0;  // stops the transfer
  }
  sink->data.append(bytes, n);
  return n;
}

// Mailbox names go into the URL path: percent-encode everything but unreserved characters.
std::string EncodedMailbox(const std::string& name) {
  std::string out;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : name) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

std::vector<std::uint64_t> ParseSearchResponse(const std::string& response) {
  std::vector<std::uint64_t> uids;
  std::size_t line_start = 0;
  while (line_start < response.size()) {
    std::size_t line_end = response.find('\n', line_start);
    if (line_end == std::string::npos) line_end = response.size();
    std::string_view line(response.data() + line_start, line_end - line_start);
    line_start = line_end + 1;
    if (line.substr(0, 9) != "* SEARCH ") continue;
    line.remove_prefix(9);
    while (!line.empty()) {
      while (!line.empty() && (line.front() == ' ' || line.front() == '\r')) line.remove_prefix(1);
      std::uint64_t uid = 0;
      const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), uid);
      if (error != std::errc()) break;
      uids.push_back(uid);
      line.remove_prefix(static_cast<std::size_t>(end - line.data()));
    }
  }
  std::sort(uids.begin(), uids.end());
  return uids;
}

ImapClient::ImapClient(ImapSettings settings) : settings_(std::move(settings)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw ImapError("could not start an IMAP client");
}

ImapClient::~ImapClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

std::string ImapUrl(const ImapSettings& settings) {
  const bool implicit = settings.security == ImapSettings::Security::kImplicitTls;
  return std::string(implicit ? "imaps://" : "imap://") + settings.host + ":" +
         std::to_string(settings.port) + "/" + EncodedMailbox(settings.mailbox);
}

void SetImapConnectionOptions(void* handle, const ImapSettings& settings, const std::string& url,
                              char* error_buffer) {
  CURL* h = static_cast<CURL*>(handle);
  const bool implicit = settings.security == ImapSettings::Security::kImplicitTls;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, implicit ? "imaps" : "imap");
  curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, settings.insecure_skip_verify ? 0L : 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, settings.insecure_skip_verify ? 0L : 2L);
  curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!settings.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_USERNAME, settings.username.c_str());
  curl_easy_setopt(h, CURLOPT_PASSWORD, settings.password.c_str());
  curl_easy_setopt(h, CURLOPT_TIMEOUT, settings.timeout_seconds);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, std::min(settings.timeout_seconds, 15L));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
}

std::string ImapClient::Command(const std::string& url_suffix, const std::string& command,
                                std::size_t max_bytes, bool* truncated) {
  CURL* h = static_cast<CURL*>(curl_);
  const std::string url = ImapUrl(settings_) + url_suffix;
  Sink sink;
  sink.max_bytes = max_bytes;
  char error[CURL_ERROR_SIZE] = {};
  SetImapConnectionOptions(h, settings_, url, error);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, command.empty() ? nullptr : command.c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  const CURLcode result = curl_easy_perform(h);
  if (result == CURLE_WRITE_ERROR && sink.truncated && truncated != nullptr) {
    *truncated = true;
    return sink.data;
  }
  if (result != CURLE_OK) {
    throw ImapError("IMAP " + settings_.host + ": " +
                    (error[0] != '\0' ? std::string(error) : curl_easy_strerror(result)));
  }
  return sink.data;
}

std::vector<std::uint64_t> ImapClient::PendingUids() {
  return ParseSearchResponse(
      Command("", "UID SEARCH UNKEYWORD $RampartImported", 1 << 20, nullptr));
}

ImapClient::Fetched ImapClient::Fetch(std::uint64_t uid, std::size_t max_bytes) {
  Fetched fetched;
  fetched.raw = Command(";UID=" + std::to_string(uid), "", max_bytes, &fetched.too_large);
  return fetched;
}

void ImapClient::MarkImported(std::uint64_t uid) {
  Command("", "UID STORE " + std::to_string(uid) + " +FLAGS ($RampartImported \\Seen)", 1 << 16,
          nullptr);
}

}  // namespace rampart::mail
