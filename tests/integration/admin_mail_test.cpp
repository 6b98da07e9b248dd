// Mail administration through the binary: mailboxes added, edited and disabled at
// /admin/mailboxes (the password never shown, logged or audited; certificate verification off
// only by its checkbox, and then with a warning), every refusal changing nothing; the DNS records
// of outgoing mail at /admin/mail-dns, checked against a fixture resolver
// (inbound.dns_fixture_file).
#include <chrono>
#include <fstream>
#include <thread>

#include "integration/identity_fixture.h"

namespace rampart::testing {
namespace {

constexpr const char* kImapPassword = "imap-Secret-7x9Qw";
constexpr const char* kNewImapPassword = "second-Imap-Secret-4k2";

std::string RecordValue(const std::string& printed) {
  std::string value;
  const std::regex quoted("\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(printed.begin(), printed.end(), quoted);
       it != std::sregex_iterator(); ++it) {
    value += (*it)[1].str();
  }
  return value;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class AdminMailTest : public IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    if (HasFatalFailure()) return;
    const std::string d = dir_.Path().string();
    // The published key matches the RSA key; the Ed25519 selector publishes another key.
    const CommandResult rsa = RunRampart({"dkim", "keygen", "--domain", "help.example",
                                          "--selector", "s2026", "--out", d + "/dkim.pem"});
    ASSERT_EQ(rsa.exit_code, 0) << rsa.err;
    rsa_record_ = RecordValue(rsa.out);
    ASSERT_EQ(RunRampart({"dkim", "keygen", "--domain", "help.example", "--selector", "ed2026",
                          "--algorithm", "ed25519", "--out", d + "/ed.pem"})
                  .exit_code,
              0);
    const CommandResult other =
        RunRampart({"dkim", "keygen", "--domain", "help.example", "--selector", "ed2026",
                    "--algorithm", "ed25519", "--out", d + "/other-ed.pem"});
    ASSERT_EQ(other.exit_code, 0);
    other_ed_record_ = RecordValue(other.out);
    std::ofstream fixture(d + "/dns.txt");
    fixture << "# published DNS, as a test sees it\n"
            << "s2026._domainkey.help.example TXT \"" << rsa_record_ << "\"\n"
            << "ed2026._domainkey.help.example TXT \"" << other_ed_record_ << "\"\n"
            << "help.example TXT \"google-site-verification=abc\"\n"
            << "help.example TXT \"v=spf1 a:<script>alert(1)</script> -all\"\n"
            << "_dmarc.strict.example TXT \"v=DMARC1; p=reject\"\n";
    fixture.close();
    env_ = kIdentityEnv;
    std::map<std::string, std::string>& env = env_;
    env["RAMPART_INBOUND_DNS_FIXTURE_FILE"] = d + "/dns.txt";
    env["RAMPART_MAIL_FROM_ADDRESS"] = "support@help.example";
    env["RAMPART_MAIL_DKIM_DOMAIN"] = "help.example";
    env["RAMPART_MAIL_DKIM_SELECTOR"] = "s2026";
    env["RAMPART_MAIL_DKIM_KEY_FILE"] = d + "/dkim.pem";
    env["RAMPART_MAIL_DKIM_ED25519_SELECTOR"] = "ed2026";
    env["RAMPART_MAIL_DKIM_ED25519_KEY_FILE"] = d + "/ed.pem";
    server_.reset();
    server_ = std::make_unique<ServerProcess>(dir_.Path(), env);
    ASSERT_TRUE(server_->Started()) << server_->Logs();
    // The department comes with its agent (created with the first of its staff).
    ASSERT_EQ(RunRampart({"user", "add", "--data-dir", d, "--email", "billing@example.com",
                          "--role", "agent", "--department", "Billing", "--password-stdin"},
                         std::string(kIdentityPassword) + "\n", kIdentityEnv)
                  .exit_code,
              0);
  }

  std::string Owner() {
    const std::string partial = SignIn("owner@example.com");
    EXPECT_EQ(last_location_, "/account/2fa/setup");
    return EnrolTotp(partial).second;
  }

  // The add/edit form as a browser sends it, with `changes` replacing fields ("<absent>"
  // leaves one out).
  std::string MailboxForm(const std::string& session,
                          const std::map<std::string, std::string>& changes) {
    std::map<std::string, std::string> f = {{"name", "Support"},
                                            {"address", "support@help.example"},
                                            {"department_id", ""},
                                            {"imap_host", "imap.help.example"},
                                            {"imap_port", "993"},
                                            {"imap_security", "tls"},
                                            {"imap_username", "support"},
                                            {"imap_password", kImapPassword},
                                            {"imap_folder", "INBOX"},
                                            {"poll_seconds", "60"},
                                            {"enabled", "1"}};
    for (const auto& [k, v] : changes) {
      if (v == "<absent>") {
        f.erase(k);
      } else {
        f[k] = v;
      }
    }
    std::string body = "csrf_token=" + CsrfOf(session);
    for (const auto& [k, v] : f) body += "&" + k + "=" + FormEncode(v);
    return body;
  }
  std::optional<HttpResponse> Create(const std::string& session,
                                     const std::map<std::string, std::string>& changes = {}) {
    return Post("/admin/mailboxes", session, MailboxForm(session, changes));
  }
  // Everything stored about mailboxes and their audit trail: a refusal must leave it as it was.
  std::string State() {
    return Sql("SELECT group_concat(name || '|' || address || '|' || imap_host || '|' || "
               "imap_port || '|' || imap_security || '|' || imap_username || '|' || "
               "hex(coalesce(imap_password_sealed, '')) || '|' || imap_folder || '|' || "
               "insecure_skip_verify || '|' || poll_seconds || '|' || enabled, ';') FROM "
               "mailboxes") +
           "/" + Sql("SELECT count(*) FROM audit_events WHERE event LIKE 'mailbox.%'");
  }
  std::string MailboxId(const std::string& name) {
    return Sql("SELECT id FROM mailboxes WHERE name = '" + name + "'");
  }

  std::string rsa_record_;
  std::string other_ed_record_;
  std::map<std::string, std::string> env_;  // the server's: with the fixture and [mail]
};

TEST_F(AdminMailTest, OwnerAddsEditsAndDisablesAMailboxWithoutThePasswordEverShown) {
  const std::string owner = Owner();
  auto list = Get("/admin/mailboxes", owner);
  ASSERT_EQ(list->status, 200) << list->body;
  EXPECT_TRUE(Contains(list->body, "No mailbox yet"));
  auto form = Get("/admin/mailboxes/new", owner);
  ASSERT_EQ(form->status, 200);
  EXPECT_TRUE(Contains(form->body, "Billing")) << "departments to choose from";

  const std::string billing = Sql("SELECT id FROM departments WHERE name = 'Billing'");
  auto created = Create(owner, {{"department_id", billing}});
  ASSERT_EQ(created->status, 303) << created->body;
  EXPECT_EQ(created->Header("location"), "/admin/mailboxes?done=created");
  const std::string id = MailboxId("Support");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Sql("SELECT address || ' ' || department_id || ' ' || imap_host || ' ' || imap_port "
                "|| ' ' || imap_security || ' ' || insecure_skip_verify || ' ' || enabled FROM "
                "mailboxes WHERE id = " +
                id),
            "support@help.example " + billing + " imap.help.example 993 tls 0 1");
  const std::string sealed =
      Sql("SELECT hex(imap_password_sealed) FROM mailboxes WHERE id = " + id);
  EXPECT_FALSE(sealed.empty());
  EXPECT_FALSE(Contains(sealed, Sql("SELECT hex('" + std::string(kImapPassword) + "')")));

  list = Get("/admin/mailboxes", owner);
  for (const char* shown : {"Support", "support@help.example", "Billing",
                            "support@imap.help.example:993", "TLS", "never"}) {
    EXPECT_TRUE(Contains(list->body, shown)) << shown;
  }
  EXPECT_FALSE(Contains(list->body, "certificate not verified"));

  // Edit: a blank password keeps the stored one, untouched.
  auto edit = Get("/admin/mailboxes/" + id, owner);
  ASSERT_EQ(edit->status, 200);
  EXPECT_TRUE(Contains(edit->body, "Leave it empty to keep the stored password"));
  auto saved = Post("/admin/mailboxes/" + id, owner,
                    MailboxForm(owner, {{"imap_password", ""},
                                        {"imap_port", "143"},
                                        {"imap_security", "starttls"},
                                        {"poll_seconds", "300"}}));
  ASSERT_EQ(saved->status, 303) << saved->body;
  EXPECT_EQ(Sql("SELECT imap_port || ' ' || imap_security || ' ' || poll_seconds FROM mailboxes "
                "WHERE id = " +
                id),
            "143 starttls 300");
  EXPECT_EQ(Sql("SELECT hex(imap_password_sealed) FROM mailboxes WHERE id = " + id), sealed);
  // A new password replaces it; a rename keeps a kept password readable (sealed again).
  ASSERT_EQ(Post("/admin/mailboxes/" + id, owner,
                 MailboxForm(owner, {{"imap_password", kNewImapPassword}}))
                ->status,
            303);
  EXPECT_NE(Sql("SELECT hex(imap_password_sealed) FROM mailboxes WHERE id = " + id), sealed);

  auto disabled = Post("/admin/mailboxes/" + id + "/disable", owner, "csrf_token=" + CsrfOf(owner));
  ASSERT_EQ(disabled->status, 303) << disabled->body;
  EXPECT_EQ(Sql("SELECT enabled FROM mailboxes WHERE id = " + id), "0");
  EXPECT_EQ(disabled->Header("location"), "/admin/mailboxes?done=disabled");
  list = Get("/admin/mailboxes?done=disabled", owner);
  EXPECT_TRUE(Contains(list->body, "it is no longer polled"));
  EXPECT_FALSE(Contains(list->body, "action=\"/admin/mailboxes/" + id + "/disable\""))
      << "nothing left to disable";

  EXPECT_EQ(Sql("SELECT group_concat(event, ' ') FROM (SELECT event FROM audit_events WHERE "
                "target = 'mailbox:" +
                id + "' ORDER BY id)"),
            "mailbox.created mailbox.updated mailbox.updated mailbox.disabled");
  EXPECT_EQ(Sql("SELECT detail FROM audit_events WHERE event = 'mailbox.created'"),
            "name=Support address=support@help.example department=" + billing +
                " imap=support@imap.help.example:993 security=tls folder=INBOX "
                "certificate_verification=on poll_seconds=60 enabled password=set");
  // The password is nowhere: not in a page, the audit log or the server's log.
  const std::string everything =
      Get("/admin/mailboxes", owner)->body + Get("/admin/mailboxes/" + id, owner)->body +
      Sql("SELECT group_concat(detail, ' ') FROM audit_events") + server_->Logs();
  for (const char* secret : {kImapPassword, kNewImapPassword}) {
    EXPECT_FALSE(Contains(everything, secret)) << secret;
  }
  // The command line lists what the page made (one mailbox code path).
  const CommandResult cli =
      RunRampart({"mail", "mailbox", "list", "--data-dir", dir_.Path().string()}, "", kIdentityEnv);
  EXPECT_TRUE(Contains(cli.out, "Support\tsupport@help.example")) << cli.out << cli.err;
}

TEST_F(AdminMailTest, CertificateVerificationGoesOffOnlyByItsCheckboxAndThenWarns) {
  const std::string owner = Owner();
  const std::string warning =
      "Certificate not verified: anyone on the path can read this mailbox&#39;s password and mail.";
  ASSERT_EQ(Create(owner, {{"insecure_skip_verify", "yes"}})->status, 303);
  const std::string id = MailboxId("Support");
  EXPECT_EQ(Sql("SELECT insecure_skip_verify FROM mailboxes WHERE id = " + id), "0")
      << "only the checkbox's own value turns it off";
  EXPECT_FALSE(Contains(Get("/admin/mailboxes", owner)->body, warning));
  EXPECT_FALSE(Contains(Get("/admin/mailboxes/" + id, owner)->body, warning));

  ASSERT_EQ(Post("/admin/mailboxes/" + id, owner,
                 MailboxForm(owner, {{"insecure_skip_verify", "1"}, {"imap_password", ""}}))
                ->status,
            303);
  EXPECT_EQ(Sql("SELECT insecure_skip_verify FROM mailboxes WHERE id = " + id), "1");
  auto list = Get("/admin/mailboxes", owner);
  EXPECT_TRUE(Contains(list->body, warning)) << list->body;
  EXPECT_TRUE(Contains(list->body, "certificate not verified"));
  EXPECT_TRUE(Contains(Get("/admin/mailboxes/" + id, owner)->body, warning));
  EXPECT_TRUE(Contains(Sql("SELECT detail FROM audit_events WHERE event = 'mailbox.updated'"),
                       "certificate_verification=OFF"));
  EXPECT_TRUE(server_->WaitForLog("mailbox_certificate_verification_off", std::chrono::seconds(5)));
  // Saving the form without the box ticked turns verification back on.
  ASSERT_EQ(
      Post("/admin/mailboxes/" + id, owner, MailboxForm(owner, {{"imap_password", ""}}))->status,
      303);
  EXPECT_EQ(Sql("SELECT insecure_skip_verify FROM mailboxes WHERE id = " + id), "0");
  EXPECT_FALSE(Contains(Get("/admin/mailboxes", owner)->body, warning));
}

TEST_F(AdminMailTest, BadInputIsRefusedWithItsReasonAndChangesNothing) {
  const std::string owner = Owner();
  ASSERT_EQ(Create(owner, {{"name", "Existing"}})->status, 303);
  const std::string id = MailboxId("Existing");
  const std::string before = State();
  const std::string xss = "<script>alert(1)</script>";
  const std::string attr = "\"><img src=x onerror=alert(1)>";
  const std::vector<std::pair<std::map<std::string, std::string>, std::string>> cases = {
      {{{"name", "Support\r\nX-Injected: 1"}}, "The name must be plain text"},
      {{{"name", std::string(101, 'n')}}, "Enter a name of 1 to 100 characters."},
      {{{"name", ""}}, "Enter a name of 1 to 100 characters."},
      {{{"address", xss + "@help.example"}}, "The address must"},
      {{{"address", "support@help.example\r\nBcc: x@evil.example"}}, "The address must"},
      {{{"imap_host", "imap.help.example\r\nA1 LOGOUT"}}, "Enter a host name"},
      {{{"imap_host", xss}}, "Enter a host name"},
      {{{"imap_host", attr}}, "Enter a host name"},
      {{{"imap_host", "javascript:alert(1)"}}, "Enter a host name"},
      {{{"imap_host", "-bad-.example"}}, "Enter a host name"},
      {{{"imap_port", "0"}}, "Enter a port from 1 to 65535."},
      {{{"imap_port", "65536"}}, "Enter a port from 1 to 65535."},
      {{{"imap_port", "99x"}}, "Enter a port from 1 to 65535."},
      {{{"imap_username", "support\r\nA1 LOGOUT"}}, "The user name must"},
      {{{"imap_username", ""}}, "A user name is required"},
      {{{"imap_password", "pass\nword"}}, "The password must"},
      {{{"imap_password", std::string(1025, 'p')}}, "The password must"},
      {{{"imap_folder", "INBOX\r\nA1 DELETE INBOX"}}, "Enter a folder"},
      {{{"imap_folder", ""}}, "Enter a folder"},
      {{{"poll_seconds", "5"}}, "Enter a poll interval"},
      {{{"department_id", "999999"}}, "Choose one of the departments listed."},
      {{{"department_id", "x"}}, "Choose one of the departments listed."},
      {{{"name", "existing"}}, "Another mailbox has this name."},
  };
  for (const auto& [changes, message] : cases) {
    auto r = Create(owner, changes);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << changes.begin()->first << ": " << r->body.substr(0, 200);
    EXPECT_TRUE(Contains(r->body, message)) << changes.begin()->first << " wants " << message;
    EXPECT_FALSE(Contains(r->body, kImapPassword)) << "a refused form never shows the password";
    EXPECT_FALSE(Contains(r->body, xss));
    EXPECT_FALSE(Contains(r->body, "<img src=x"));
    EXPECT_EQ(State(), before) << changes.begin()->first;
  }
  // The same rules on an edit.
  auto r = Post("/admin/mailboxes/" + id, owner,
                MailboxForm(owner, {{"name", "Existing"}, {"imap_host", "a\r\nb"}}));
  EXPECT_EQ(r->status, 422);
  // A form that is not one: an unknown security, a body over the route's limit.
  EXPECT_EQ(Create(owner, {{"imap_security", "none"}})->status, 400);
  EXPECT_EQ(Create(owner, {{"name", std::string(40000, 'n')}})->status, 413);
  EXPECT_EQ(State(), before);
  // The command line refuses with the same rules and words.
  const CommandResult cli = RunRampart(
      {"mail", "mailbox", "add", "--data-dir", dir_.Path().string(), "--name", "Cli", "--address",
       "cli@help.example", "--imap-host", "imap.help.example\r\nA1 LOGOUT", "--imap-user", "u"},
      "", kIdentityEnv);
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_TRUE(Contains(cli.err, "rejected: imap_host: Enter a host name")) << cli.err;
  EXPECT_EQ(State(), before);
  // Plain text in a name is stored and shown escaped, never as markup.
  ASSERT_EQ(Create(owner, {{"name", xss}})->status, 303);
  auto list = Get("/admin/mailboxes", owner);
  EXPECT_FALSE(Contains(list->body, xss));
  EXPECT_TRUE(Contains(list->body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST_F(AdminMailTest, OnlyAdminsWithAFreshPasswordAndTheFormTokenChangeMailboxes) {
  const std::string owner = Owner();
  ASSERT_EQ(Create(owner, {{"name", "Existing"}})->status, 303);
  const std::string id = MailboxId("Existing");
  const std::string before = State();
  const std::string agent = SignIn("agent@example.com");
  const std::string ana = SignIn("ana@example.com");
  for (const std::string& session : {agent, ana}) {
    EXPECT_EQ(Get("/admin/mailboxes", session)->status, 403);
    EXPECT_EQ(Get("/admin/mailboxes/new", session)->status, 403);
    EXPECT_EQ(Get("/admin/mailboxes/" + id, session)->status, 403);
    EXPECT_EQ(Get("/admin/mail-dns", session)->status, 403);
    EXPECT_EQ(Create(session, {{"name", "Mine"}})->status, 403);
    EXPECT_EQ(Post("/admin/mailboxes/" + id, session,
                   MailboxForm(session, {{"name", "Existing"}, {"insecure_skip_verify", "1"}}))
                  ->status,
              403);
    EXPECT_EQ(Post("/admin/mailboxes/" + id + "/disable", session, "csrf_token=" + CsrfOf(session))
                  ->status,
              403);
    EXPECT_EQ(Post("/admin/mail-dns/check", session, "csrf_token=" + CsrfOf(session))->status, 403);
  }
  // No form token: refused before anything is read.
  std::string no_token = MailboxForm(owner, {{"name", "Mine"}});
  no_token = no_token.substr(no_token.find('&') + 1);
  EXPECT_EQ(Post("/admin/mailboxes", owner, no_token)->status, 403);
  EXPECT_EQ(Post("/admin/mailboxes/" + id + "/disable", owner, "")->status, 403);
  EXPECT_EQ(Post("/admin/mailboxes/" + id + "/disable", owner, "csrf_token=wrong")->status, 403);
  // No such mailbox, or no id at all.
  EXPECT_EQ(Get("/admin/mailboxes/999999", owner)->status, 404);
  EXPECT_EQ(Get("/admin/mailboxes/1%20OR%201=1", owner)->status, 404);
  EXPECT_EQ(Post("/admin/mailboxes/999999/disable", owner, "csrf_token=" + CsrfOf(owner))->status,
            404);
  // A password entered an hour ago is not enough: asked again, and nothing changes.
  const std::string csrf = CsrfOf(owner);
  AgeReauth();
  auto page = Get("/admin/mailboxes", owner);
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(page->Header("location"), "/account/reauth?next=/admin/mailboxes");
  EXPECT_EQ(Post("/admin/mailboxes/" + id + "/disable", owner, "csrf_token=" + csrf)->status, 403);
  EXPECT_EQ(State(), before);
}

TEST_F(AdminMailTest, ThePollersLastResultIsShown) {
  const std::string owner = Owner();
  // Nothing listens on port 1: the poller's first round fails to connect.
  ASSERT_EQ(Create(owner, {{"imap_host", "127.0.0.1"}, {"imap_port", "1"}, {"poll_seconds", "10"}})
                ->status,
            303);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string body;
  while (std::chrono::steady_clock::now() < deadline) {
    body = Get("/admin/mailboxes", owner)->body;
    if (Contains(body, "failed: ")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_TRUE(Contains(body, "failed: ")) << body;
  EXPECT_FALSE(Contains(body, kImapPassword));
  EXPECT_FALSE(Contains(server_->Logs(), kImapPassword));
}

TEST_F(AdminMailTest, DnsRecordsAreComputedFromTheConfigurationAndChecked) {
  const std::string owner = Owner();
  EXPECT_TRUE(Contains(server_->Logs(), "dns_fixture_in_use"));
  auto page = Get("/admin/mail-dns", owner);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_TRUE(Contains(page->body, "s2026._domainkey.help.example"));
  EXPECT_TRUE(Contains(page->body, rsa_record_)) << "the key file's public half, as keygen prints";
  EXPECT_TRUE(Contains(page->body, "v=spf1 mx -all"));
  EXPECT_TRUE(Contains(page->body, "_dmarc.help.example"));
  EXPECT_TRUE(Contains(page->body, "v=DMARC1; p=quarantine; rua=mailto:support@help.example"));
  EXPECT_FALSE(Contains(page->body, "DNS check:"));

  EXPECT_EQ(Post("/admin/mail-dns/check", owner, "")->status, 403) << "no form token";
  auto checked = Post("/admin/mail-dns/check", owner, "csrf_token=" + CsrfOf(owner));
  ASSERT_EQ(checked->status, 200) << checked->body;
  const std::string& b = checked->body;
  // In page order: DKIM (RSA) matches, DKIM (Ed25519) is another key, SPF found (the page shows
  // the published one, escaped), DMARC missing.
  const auto at = [&](const std::string& s, std::size_t from = 0) { return b.find(s, from); };
  const std::size_t rsa = at("DNS check: matches.");
  const std::size_t ed = at("DNS check: different.", rsa);
  const std::size_t spf = at("DNS check: found.", ed);
  const std::size_t dmarc = at("DNS check: missing.", spf);
  EXPECT_NE(rsa, std::string::npos) << b;
  EXPECT_NE(ed, std::string::npos);
  EXPECT_NE(spf, std::string::npos);
  EXPECT_NE(dmarc, std::string::npos);
  EXPECT_TRUE(Contains(b, other_ed_record_)) << "what was found is shown";
  EXPECT_TRUE(Contains(b, "v=spf1 a:&lt;script&gt;alert(1)&lt;/script&gt; -all"));
  EXPECT_FALSE(Contains(b, "<script>alert(1)</script>"));
  EXPECT_FALSE(Contains(b, "google-site-verification")) << "only SPF records are SPF's";
}

TEST_F(AdminMailTest, InboundMailAsksTheSameFixture) {
  const std::string d = dir_.Path().string();
  ASSERT_EQ(RunRampart({"mail", "mailbox", "add", "--data-dir", d, "--name", "Piped", "--address",
                        "support@help.example"},
                       "", env_)
                .exit_code,
            0);
  for (const char* domain : {"strict.example", "loose.example"}) {
    const std::string message = std::string("From: someone@") + domain +
                                "\r\nTo: support@help.example\r\nSubject: Hello\r\n"
                                "Message-ID: <m1@" +
                                domain + ">\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n\r\nHi\r\n";
    const CommandResult r =
        RunRampart({"mail", "ingest", "--data-dir", d, "--mailbox", "Piped"}, message, env_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(Contains(r.err, "dns_fixture_in_use")) << r.err;
  }
  // Unsigned: the fixture's p=reject makes strict.example's mail fail DMARC; loose.example
  // publishes nothing there.
  EXPECT_EQ(Sql("SELECT dmarc FROM mail_messages WHERE from_address = 'someone@strict.example'"),
            "fail");
  EXPECT_EQ(Sql("SELECT dmarc FROM mail_messages WHERE from_address = 'someone@loose.example'"),
            "none");
}

}  // namespace
}  // namespace rampart::testing
