#pragma once
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace rampart::app {

// Exit codes of every command; documented in the README and stable for operators' scripts.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,        // an unexpected failure; the log says what
  kExitUsage = 2,          // bad command line
  kExitBadConfig = 3,      // configuration invalid (`config check` lists why)
  kExitConflict = 4,       // already done: init twice, an email taken
  kExitInvalidInput = 5,   // input rejected (a weak password, a bad email)
  kExitNotInitialized = 6  // the data directory has no database yet
};

// Flags shared by the commands; each overrides the config file and the environment.
struct CommonOptions {
  std::optional<std::filesystem::path> config_file;
  std::optional<std::string> data_dir;
  std::optional<std::string> listen;
  std::optional<std::string> metrics_listen;
};

int Serve(const CommonOptions& options);
int Init(const CommonOptions& options, const std::string& owner_email, std::istream& password_in);
int Migrate(const CommonOptions& options);
int Backup(const CommonOptions& options, const std::filesystem::path& destination);
int ConfigCheck(const CommonOptions& options);
// `all_departments`: a staff member who reaches every department.
int UserAdd(const CommonOptions& options, const std::string& email, const std::string& role,
            const std::optional<std::string>& department, const std::optional<std::string>& name,
            std::istream& password_in, bool all_departments = false);
int DemoData(const CommonOptions& options, long long tickets);
// Shows, sets (`scope` + `list`) or clears (`reset`) the IP allowlists. On the server itself,
// this is the way back in after a list locked everyone out.
int IpAllow(const CommonOptions& options, const std::optional<std::string>& scope,
            const std::optional<std::string>& list, bool reset);
// Issues an API token for the user and prints it, alone on one line of standard output: the
// only time it is shown (what was done goes to standard error). `scope`: read or write.
int TokenCreate(const CommonOptions& options, const std::string& email, const std::string& scope,
                const std::optional<std::string>& name);
// The user's tokens, one per line: id, scope, state (live or revoked), created, last used, name,
// separated by tabs. Never the token itself: only its keyed hash is stored.
int TokenList(const CommonOptions& options, const std::string& email);
int TokenRevoke(const CommonOptions& options, const std::string& email, std::int64_t token_id);
// Every route of the public listener, one per line: METHOD PATTERN ACCESS PERMISSION ("-" for
// none). For operators reviewing what is exposed, and for tests that hold the route table
// against the OpenAPI document and the permission grid. `format` "tsv": the same fields and a
// fifth, REAUTH ("reauth" or "-"), separated by tabs, for programs.
int Routes(const CommonOptions& options, const std::string& format = "text");
// Every staff account with its role, permissions, departments, second factor, last sign-in,
// disabled flag and API tokens (scope, created, last use). `format`: text or json.
int AccessReview(const CommonOptions& options, const std::string& format);
// Sets the portal's sign-up mode (and, for `domains`, the allowed email domains), as the admin
// page does, recorded in the audit log as done by the system.
int PortalSignUp(const CommonOptions& options, const std::string& mode, const std::string& domains);
// Unsent mail, oldest first: a "To: ... / Subject: ..." header, the body, then a line "--".
// Until outgoing mail is configured, the way to read invitations and sign-up links.
int OutboxList(const CommonOptions& options);

// Mailboxes customers write to. With an IMAP host the server polls it; without one, an MTA
// pipes each message to `rampart mail ingest --mailbox NAME`.
struct MailboxOptions {
  std::string name;
  std::string address;
  std::optional<std::string> department;
  std::string imap_host;
  int imap_port = 993;
  std::string imap_security = "tls";  // tls | starttls
  std::string imap_user;
  bool imap_password_stdin = false;
  std::string imap_folder = "INBOX";
  std::string imap_ca_file;
  bool insecure_skip_verify = false;
  int poll_seconds = 60;
};
int MailboxAdd(const CommonOptions& options, const MailboxOptions& mailbox);
int MailboxList(const CommonOptions& options);
// Imports one message from standard input into the mailbox, through the same path as IMAP.
// Prints the disposition (and the ticket) on standard output, the reason on standard error.
// Exit 0 whenever the message was recorded (a held or quarantined message is recorded too).
// With `mbox` (a file, or "-" for standard input) imports every message of that mbox, streamed,
// and prints a count per disposition; exit 1 when any message could not be stored at all.
int MailIngest(const CommonOptions& options, const std::string& mailbox,
               const std::optional<std::string>& mbox = std::nullopt);

}  // namespace rampart::app
