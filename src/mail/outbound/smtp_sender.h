#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace rampart::mail {

struct SmtpSettings {
  std::string host;
  int port = 587;
  // kImplicitTls: TLS from the first byte (465). kStartTls: STARTTLS is required (587); a
  // server that does not offer it gets no mail and no credentials: never a plaintext fallback.
  enum class Security { kImplicitTls, kStartTls } security = Security::kStartTls;
  std::string username;  // empty: no AUTH
  std::string password;
  // Certificate and host name verification are on unless this is set explicitly (the admin
  // pages show a warning while it is).
  bool insecure_skip_verify = false;
  std::string ca_file;  // an extra trust anchor file (a private CA); "" for the system store
  long timeout_seconds = 30;
};

struct SmtpOutcome {
  enum class Kind {
    kSent,
    kTemporary,  // 4xx, a network or TLS failure: retry later
    kPermanent,  // 5xx or a refused address: retrying will not help
  };
  Kind kind = Kind::kTemporary;
  long smtp_code = 0;  // the server's last reply code, 0 when there was none
  std::string detail;  // for the log and the ticket's failure notice; never holds credentials
};

// Submits one message (CRLF line ends, headers already final and DKIM-signed) over TLS with
// libcurl. Addresses with control characters, spaces or angle brackets are refused before any
// connection: they could otherwise inject SMTP commands.
SmtpOutcome SendMail(const SmtpSettings& settings, std::string_view envelope_from,
                     const std::vector<std::string>& recipients, std::string_view message);

// Whether `address` may go into an SMTP envelope (MAIL FROM / RCPT TO) as it is.
bool IsEnvelopeAddress(std::string_view address);

}  // namespace rampart::mail
