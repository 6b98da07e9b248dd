#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace rampart::mail {

struct ImapSettings {
  std::string host;
  int port = 993;
  // kImplicitTls: TLS from the first byte (993). kStartTls: STARTTLS is required (143); a server
  // that does not offer it gets no credentials: never a plaintext fallback.
  enum class Security { kImplicitTls, kStartTls } security = Security::kImplicitTls;
  std::string username;
  std::string password;
  std::string mailbox = "INBOX";
  bool insecure_skip_verify = false;  // verification is on unless set explicitly
  std::string ca_file;                // an extra trust anchor; "" for the system store
  long timeout_seconds = 30;
};

// Connection, TLS, login or protocol failure. The text never holds credentials.
class ImapError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads a mailbox over IMAP with libcurl. A message is marked (keyword $RampartImported plus
// \Seen) only when the caller says its ticket or reply is committed, so a crash between fetch
// and commit leaves it to be fetched again; the importer's duplicate check makes that harmless.
class ImapClient {
 public:
  explicit ImapClient(ImapSettings settings);
  ~ImapClient();
  ImapClient(const ImapClient&) = delete;
  ImapClient& operator=(const ImapClient&) = delete;

  // UIDs of the messages not yet imported, oldest first.
  std::vector<std::uint64_t> PendingUids();

  struct Fetched {
    bool too_large = false;  // the message exceeded max_bytes; `raw` holds its first bytes
    std::string raw;
  };
  Fetched Fetch(std::uint64_t uid, std::size_t max_bytes);

  void MarkImported(std::uint64_t uid);

 private:
  std::string Command(const std::string& url_suffix, const std::string& command,
                      std::size_t max_bytes, bool* truncated);
  ImapSettings settings_;
  void* curl_ = nullptr;  // one handle, so that its connection is reused between calls
};

// imaps://host:port/MAILBOX (imap:// for STARTTLS), the mailbox percent-encoded.
std::string ImapUrl(const ImapSettings& settings);
// The libcurl options every IMAP connection of Rampart's uses: TLS required (never a plaintext
// fallback) and verified unless insecure_skip_verify, TLS 1.2 or later, credentials, timeouts.
// `handle` is a CURL*; `error_buffer` has CURL_ERROR_SIZE bytes and outlives the transfer.
void SetImapConnectionOptions(void* handle, const ImapSettings& settings, const std::string& url,
                              char* error_buffer);

// The UIDs of an untagged "* SEARCH ..." response.
std::vector<std::uint64_t> ParseSearchResponse(const std::string& response);

}  // namespace rampart::mail
