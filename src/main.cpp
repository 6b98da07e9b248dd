// Rampart's command line: parses arguments and runs one command. Exit codes are listed in
// app/commands.h and the README.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/app.h"
#include "app/commands.h"
#include "app/outbound_mail.h"

namespace {

void AddCommonFlags(CLI::App& cmd, rampart::app::CommonOptions& common) {
  cmd.add_option("--config", common.config_file, "TOML configuration file");
  cmd.add_option("--data-dir", common.data_dir, "Data directory (overrides storage.data_dir)");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rampart::app;
  CLI::App cli{"Rampart: a customer-support helpdesk whose defining quality is security."};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string("rampart ") + kVersion);
  CommonOptions common;

  auto* serve = cli.add_subcommand("serve", "Serve the helpdesk over HTTP");
  AddCommonFlags(*serve, common);
  serve->add_option("--listen", common.listen, "HOST:PORT of the public listener (port 0: any)");
  serve->add_option("--metrics-listen", common.metrics_listen,
                    "HOST:PORT of the ops listener (/metrics); empty to disable");

  auto* init =
      cli.add_subcommand("init", "Create the database and the first owner (password on stdin)");
  AddCommonFlags(*init, common);
  std::string owner_email;
  init->add_option("--owner-email", owner_email, "The owner's email address")->required();

  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
  AddCommonFlags(*migrate, common);

  auto* backup = cli.add_subcommand("backup", "Copy the live database to FILE (online)");
  AddCommonFlags(*backup, common);
  std::string backup_file;
  backup->add_option("FILE", backup_file, "Destination file (must not exist)")->required();

  auto* config = cli.add_subcommand("config", "Configuration tools");
  config->require_subcommand(1);
  auto* config_check = config->add_subcommand("check", "Report every bad key or value");
  AddCommonFlags(*config_check, common);

  auto* user = cli.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Add a user (password on stdin)");
  AddCommonFlags(*user_add, common);
  std::string email, role;
  std::optional<std::string> department, name;
  bool password_stdin = false;
  user_add->add_option("--email", email, "Email address")->required();
  user_add->add_option("--role", role, "owner | admin | agent | end_user")->required();
  user_add->add_option("--department", department, "Department (staff only; created if absent)");
  user_add->add_option("--name", name, "Display name");
  bool all_departments = false;
  user_add->add_flag("--all-departments", all_departments, "Staff only: reach every department");
  user_add->add_flag("--password-stdin", password_stdin, "Read the password from standard input")
      ->required();

  auto* demo =
      cli.add_subcommand("demo-data", "Add demo tickets (and demo people to an empty helpdesk)");
  AddCommonFlags(*demo, common);
  long long tickets = 25;
  demo->add_option("--tickets", tickets, "How many tickets to add")
      ->check(CLI::Range(0LL, 10'000'000LL));

  auto* security =
      cli.add_subcommand("security", "Security settings that must work from the server");
  security->require_subcommand(1);
  auto* ip_allow = security->add_subcommand(
      "ip-allow", "Show or set the IP allowlists; --reset clears them all (the way back in)");
  AddCommonFlags(*ip_allow, common);
  std::optional<std::string> ip_scope, ip_list;
  bool ip_reset = false;
  ip_allow->add_option("--scope", ip_scope, "everyone | staff | api");
  ip_allow->add_option("--set", ip_list, "Networks, comma-separated (empty: any address)");
  ip_allow->add_flag("--reset", ip_reset, "Clear every list");

  auto* token = cli.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* token_create =
      token->add_subcommand("create", "Issue an API token; prints it once on standard output");
  AddCommonFlags(*token_create, common);
  std::string token_user, token_scope = "read";
  std::optional<std::string> token_name;
  token_create->add_option("--user", token_user, "The token owner's email address")->required();
  token_create->add_option("--scope", token_scope,
                           "read (the default) | write | admin (may also change users and roles)");
  token_create->add_option("--name", token_name, "What the token is for");
  auto* token_list = token->add_subcommand("list", "List a user's tokens (never the tokens)");
  AddCommonFlags(*token_list, common);
  token_list->add_option("--user", token_user, "The owner's email address")->required();
  auto* token_revoke = token->add_subcommand("revoke", "Revoke one of a user's tokens");
  AddCommonFlags(*token_revoke, common);
  std::int64_t token_id = 0;
  token_revoke->add_option("--user", token_user, "The owner's email address")->required();
  token_revoke->add_option("--id", token_id, "The token's id (from token list)")->required();

  auto* portal = cli.add_subcommand("portal", "Customer portal settings");
  portal->require_subcommand(1);
  auto* portal_sign_up =
      portal->add_subcommand("sign-up", "Set who may sign up: open | domains | invite_only");
  AddCommonFlags(*portal_sign_up, common);
  std::string sign_up_mode;
  std::string sign_up_domains;
  portal_sign_up->add_option("--mode", sign_up_mode, "open | domains | invite_only")->required();
  portal_sign_up->add_option("--domains", sign_up_domains, "Email domains, comma-separated");

  auto* outbox = cli.add_subcommand("outbox", "Mail waiting to be sent");
  outbox->require_subcommand(1);
  auto* outbox_list = outbox->add_subcommand("list", "Print the unsent mail, oldest first");
  AddCommonFlags(*outbox_list, common);

  auto* mail_cmd = cli.add_subcommand("mail", "Incoming mail: mailboxes and piped messages");
  mail_cmd->require_subcommand(1);
  auto* mailbox = mail_cmd->add_subcommand("mailbox", "Mailboxes customers write to");
  mailbox->require_subcommand(1);
  auto* mailbox_add = mailbox->add_subcommand(
      "add", "Add a mailbox (an IMAP account to poll, or one an MTA pipes into)");
  AddCommonFlags(*mailbox_add, common);
  MailboxOptions mbox;
  mailbox_add->add_option("--name", mbox.name, "A short name (used by `mail ingest`)")->required();
  mailbox_add->add_option("--address", mbox.address, "The address customers write to")->required();
  mailbox_add->add_option("--department", mbox.department, "Department for its new tickets");
  mailbox_add->add_option("--imap-host", mbox.imap_host, "IMAP server to poll");
  mailbox_add->add_option("--imap-port", mbox.imap_port, "993 (tls) or 143 (starttls)");
  mailbox_add->add_option("--imap-security", mbox.imap_security, "tls (default) | starttls");
  mailbox_add->add_option("--imap-user", mbox.imap_user, "IMAP user name");
  mailbox_add->add_flag("--imap-password-stdin", mbox.imap_password_stdin,
                        "Read the IMAP password from standard input (stored encrypted)");
  mailbox_add->add_option("--imap-folder", mbox.imap_folder, "Folder to read (INBOX)");
  mailbox_add->add_option("--imap-ca-file", mbox.imap_ca_file,
                          "A private CA certificate to trust for the IMAP server");
  mailbox_add->add_flag("--insecure-skip-verify", mbox.insecure_skip_verify,
                        "Do not verify the server's certificate (unsafe; for tests only)");
  mailbox_add->add_option("--poll-seconds", mbox.poll_seconds, "Polling interval (60)");
  auto* mailbox_list = mailbox->add_subcommand("list", "List the mailboxes");
  AddCommonFlags(*mailbox_list, common);
  auto* mail_ingest = mail_cmd->add_subcommand(
      "ingest", "Import one message from standard input (for an MTA's pipe transport), or an mbox");
  AddCommonFlags(*mail_ingest, common);
  std::string ingest_mailbox;
  mail_ingest->add_option("--mailbox", ingest_mailbox, "The mailbox it arrived at")->required();
  std::optional<std::string> ingest_mbox;
  mail_ingest->add_option("--mbox", ingest_mbox,
                          "Import every message of this mbox file (- for standard input)");
  auto* dkim = cli.add_subcommand("dkim", "DKIM signing keys for outgoing mail");
  dkim->require_subcommand(1);
  auto* dkim_keygen = dkim->add_subcommand(
      "keygen", "Write a new signing key (mode 0600) and print the DNS TXT record to publish");
  std::string dkim_domain, dkim_selector, dkim_algorithm = "rsa";
  std::filesystem::path dkim_out;
  dkim_keygen->add_option("--domain", dkim_domain, "The From domain (DKIM d=)")->required();
  dkim_keygen->add_option("--selector", dkim_selector, "The selector (DKIM s=)")->required();
  dkim_keygen->add_option("--out", dkim_out, "Where to write the private key (a new file)")
      ->required();
  dkim_keygen->add_option("--algorithm", dkim_algorithm, "rsa (2048 bits, the default) | ed25519")
      ->check(CLI::IsMember({"rsa", "ed25519"}));

  // Hidden: a review and test aid rather than an everyday command.
  auto* routes =
      cli.add_subcommand("routes", "Print every route: METHOD PATTERN ACCESS PERMISSION");
  routes->group("");
  AddCommonFlags(*routes, common);
  std::string routes_format = "text";
  routes->add_option("--format", routes_format, "text (the default) | tsv")
      ->check(CLI::IsMember({"text", "tsv"}));

  auto* review = cli.add_subcommand(
      "access-review",
      "List every staff account: role, permissions, departments, 2FA, last sign-in, API tokens");
  AddCommonFlags(*review, common);
  std::string review_format = "text";
  review->add_option("--format", review_format, "text (the default) | json")
      ->check(CLI::IsMember({"text", "json"}));

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  if (serve->parsed()) return Serve(common);
  if (init->parsed()) return Init(common, owner_email, std::cin);
  if (migrate->parsed()) return Migrate(common);
  if (backup->parsed()) return Backup(common, backup_file);
  if (config_check->parsed()) return ConfigCheck(common);
  if (user_add->parsed())
    return UserAdd(common, email, role, department, name, std::cin, all_departments);
  if (demo->parsed()) return DemoData(common, tickets);
  if (ip_allow->parsed()) return IpAllow(common, ip_scope, ip_list, ip_reset);
  if (token_create->parsed()) return TokenCreate(common, token_user, token_scope, token_name);
  if (token_list->parsed()) return TokenList(common, token_user);
  if (token_revoke->parsed()) return TokenRevoke(common, token_user, token_id);
  if (routes->parsed()) return Routes(common, routes_format);
  if (review->parsed()) return AccessReview(common, review_format);
  if (portal_sign_up->parsed()) return PortalSignUp(common, sign_up_mode, sign_up_domains);
  if (outbox_list->parsed()) return OutboxList(common);
  if (mailbox_add->parsed()) return MailboxAdd(common, mbox);
  if (mailbox_list->parsed()) return MailboxList(common);
  if (mail_ingest->parsed()) return MailIngest(common, ingest_mailbox, ingest_mbox);
  if (dkim_keygen->parsed())
    return DkimKeygen(dkim_domain, dkim_selector, dkim_algorithm, dkim_out);
  return kExitUsage;
}
