#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rampart::config {

// A host and port as written in config ("127.0.0.1:8080", "[::1]:8080").
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string ToString() const;
};
bool ParseEndpoint(const std::string& text, Endpoint& out);

struct Limits {
  std::int64_t max_header_bytes = 16 * 1024;
  std::int64_t max_body_bytes = 1024 * 1024;  // routes may set their own, lower or higher
  std::int64_t header_timeout_ms = 10'000;
  std::int64_t body_timeout_ms = 30'000;
  std::int64_t idle_timeout_ms = 60'000;
  std::int64_t max_connections = 4096;
  std::int64_t max_connections_per_ip = 64;
  std::int64_t max_requests_per_connection = 10'000;
  std::int64_t shutdown_grace_ms = 10'000;
};

struct Server {
  Endpoint listen{"127.0.0.1", 8080};
  // Staff-only listener for /metrics (and later admin); empty host disables it.
  Endpoint metrics_listen{"127.0.0.1", 9464};
  // Proxies whose X-Forwarded-For / Forwarded headers are believed (CIDRs, comma-separated).
  std::string trusted_proxies;
  // The address people use to reach the helpdesk ("https://help.example.com"), for links in
  // mail (password reset). No trailing slash.
  std::string public_url = "http://localhost:8080";
  std::int64_t io_threads = 2;
  std::int64_t worker_threads = 4;
  // Requests that wait for the ticket group commit; each sleeps until its batch is on disk.
  // As many as the connections that should share one commit.
  std::int64_t waiting_threads = 64;
  // Password hashes computed at once (sign-in, password change, recovery codes): each holds
  // auth.hash_memory_kib while it runs, so this bounds the memory a sign-in flood can take.
  std::int64_t hashing_threads = 1;
};

struct Storage {
  std::string data_dir = "./data";
  std::int64_t busy_timeout_ms = 5'000;
  std::int64_t journal_size_limit_bytes = 64 * 1024 * 1024;
  std::int64_t read_connections = 4;
};

struct Auth {
  // argon2id cost; OWASP's floor is 19456 KiB with 2 passes.
  std::int64_t hash_memory_kib = 65536;
  std::int64_t hash_passes = 2;
  std::int64_t staff_idle_timeout_s = 30 * 60;  // NIST AAL2: 30 minutes idle
  std::int64_t staff_lifetime_s = 12 * 3600;    // and 12 hours in all
  std::int64_t end_user_idle_timeout_s = 7 * 86400;
  std::int64_t end_user_lifetime_s = 30 * 86400;  // NIST AAL1: at least every 30 days
  // Sensitive actions (password, 2FA, security settings) need the password entered this recently.
  std::int64_t reauth_window_s = 10 * 60;
};

// Files attached to ticket messages (portal, workspace, API).
struct Attachments {
  std::int64_t max_file_bytes = 10 * 1024 * 1024;
  std::int64_t max_files = 10;                      // per message
  std::int64_t max_total_bytes = 25 * 1024 * 1024;  // per message
};

// Mail that comes in (IMAP mailboxes and `rampart mail ingest`).
struct Inbound {
  // authserv-ids whose Authentication-Results are believed: your own MTA or mailbox provider
  // (space- or comma-separated). Every other such header is ignored.
  std::string trusted_authserv_ids;
  std::int64_t max_message_bytes = 25 * 1024 * 1024;
  std::int64_t max_new_tickets_per_sender_per_hour = 20;
  // For test and demo setups only: a file of `name TXT "value"` lines that answers every mail
  // DNS lookup (DKIM keys, DMARC policies, the admin's DNS check) instead of DNS. Logged as a
  // warning at start-up.
  std::string dns_fixture_file;
};

// Outgoing mail. Nothing is sent until smtp.host is set.
struct Mail {
  std::string from_address;  // "support@help.example"; its domain is the DKIM d= domain
  std::string from_name;
  // The mailbox customers answer to; each recipient's reply token goes before the @
  // ("support+rmp-42-...@help.example"). Empty: no Reply-To (answers go to From).
  std::string reply_address;
  std::string smtp_host;
  std::int64_t smtp_port = 587;
  std::string smtp_security = "starttls";  // tls (implicit, 465) | starttls (required, 587)
  std::string smtp_username;
  // The password: from smtp.password_file (mode 0600) or RAMPART_MAIL_SMTP_PASSWORD; never
  // from the TOML file itself, never printed.
  std::string smtp_password_file;
  std::string smtp_password;
  bool insecure_skip_verify = false;
  std::string ca_file;
  std::int64_t give_up_after_s = 2 * 86400;
  std::string dkim_domain;
  std::string dkim_selector;
  std::string dkim_key_file;  // RSA PEM from `rampart dkim keygen`
  // An optional second signature with Ed25519 (RFC 8463), under its own selector.
  std::string dkim_ed25519_selector;
  std::string dkim_ed25519_key_file;
  bool Enabled() const { return !smtp_host.empty(); }
};

struct Config {
  std::string profile = "development";  // production | staging | development | test
  std::string log_level = "info";
  Server server;
  Limits limits;
  Storage storage;
  Auth auth;
  Attachments attachments;
  Inbound inbound;
  Mail mail;
};

// One bad key or value, with where it came from.
struct Problem {
  std::string source;  // the file path, or the environment variable's name
  std::string key;     // dotted key ("limits.max_body_bytes"); empty for a syntax error
  std::string reason;
  std::string ToString() const;
};

struct LoadResult {
  Config config;
  std::vector<Problem> problems;
  bool Ok() const { return problems.empty(); }
};

// Reads defaults, then the TOML file (when given), then RAMPART_* variables from `environment`
// (RAMPART_LIMITS_MAX_BODY_BYTES overrides limits.max_body_bytes). Unknown keys are problems.
LoadResult Load(const std::optional<std::filesystem::path>& file,
                const std::map<std::string, std::string>& environment);
// The process environment as a map, for Load.
std::map<std::string, std::string> ProcessEnvironment();
// Every key Load knows, with its current value, for documentation and `config check`.
std::vector<std::pair<std::string, std::string>> Describe(const Config& config);

}  // namespace rampart::config
