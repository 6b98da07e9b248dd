#include "mail/inbound/imap_idle.h"

#include <gtest/gtest.h>

#include <future>

#include "support/dovecot_imap_settings.h"
#include "support/mail_servers.h"

namespace rampart::mail {
namespace {

using testing::DovecotServer;

const std::string kMail =
    "From: Ana <ana@customer.example>\r\nTo: support@help.example\r\nSubject: Printer\r\n"
    "Message-ID: <idle1@customer.example>\r\n\r\nIt is broken.\r\n";

using testing::SettingsFor;

TEST(ImapIdle, ResponsesAreReadStrictly) {
  EXPECT_TRUE(IsExistsResponse("* 23 EXISTS"));
  EXPECT_TRUE(IsExistsResponse("* 1 exists"));
  EXPECT_FALSE(IsExistsResponse("* 23 RECENT"));
  EXPECT_FALSE(IsExistsResponse("* OK Still here"));
  EXPECT_FALSE(IsExistsResponse("* EXISTS"));
  EXPECT_FALSE(IsExistsResponse("i3 23 EXISTS"));
  EXPECT_FALSE(IsExistsResponse("* 23 EXISTS now"));
  EXPECT_TRUE(OffersIdle("* CAPABILITY IMAP4rev1 SASL-IR IDLE LITERAL+\n"));
  EXPECT_TRUE(OffersIdle("* capability imap4rev1 idle\n"));
  EXPECT_FALSE(OffersIdle("* CAPABILITY IMAP4rev1 IDLEX\n"));
  EXPECT_FALSE(OffersIdle("* OK [CAPABILITY IMAP4rev1] IDLE soon\n"));
  EXPECT_EQ(QuotedMailbox("INBOX"), "\"INBOX\"");
  EXPECT_EQ(QuotedMailbox("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_THROW(QuotedMailbox("INBOX\r\na1 DELETE INBOX"), ImapError);
}

// Dovecot over implicit TLS and over STARTTLS: quiet while nothing arrives, woken by a delivery
// within seconds, stopped promptly when asked.
TEST(ImapIdle, WakesOnNewMailOverBothTlsModes) {
  DovecotServer server;
  for (const auto security :
       {ImapSettings::Security::kImplicitTls, ImapSettings::Security::kStartTls}) {
    ImapIdle idle(SettingsFor(server, security));
    ASSERT_TRUE(idle.Start());
    std::atomic<bool> stop{false};
    EXPECT_EQ(idle.Wait(std::chrono::seconds(1), stop), ImapIdle::Event::kQuiet);
    auto waiting =
        std::async(std::launch::async, [&] { return idle.Wait(std::chrono::seconds(30), stop); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto delivered = std::chrono::steady_clock::now();
    server.Deliver(kMail);
    ASSERT_EQ(waiting.wait_for(std::chrono::seconds(20)), std::future_status::ready);
    EXPECT_EQ(waiting.get(), ImapIdle::Event::kNewMail);
    EXPECT_LT(std::chrono::steady_clock::now() - delivered, std::chrono::seconds(10));
    // Asked to stop while idling: back within the stop check.
    auto stopping =
        std::async(std::launch::async, [&] { return idle.Wait(std::chrono::seconds(30), stop); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
    ASSERT_EQ(stopping.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    EXPECT_EQ(stopping.get(), ImapIdle::Event::kStopped);
  }
}

TEST(ImapIdle, RefusesAServerWithoutTlsAndAWrongPassword) {
  DovecotServer plain(/*tls=*/false);
  ImapIdle refused(SettingsFor(plain, ImapSettings::Security::kStartTls));
  EXPECT_THROW(refused.Start(), ImapError);

  DovecotServer server;
  ImapSettings wrong = SettingsFor(server, ImapSettings::Security::kImplicitTls);
  wrong.password = "not-the-password";
  ImapIdle idle(wrong);
  try {
    idle.Start();
    ADD_FAILURE() << "a wrong password was accepted";
  } catch (const ImapError& e) {
    EXPECT_EQ(std::string(e.what()).find("not-the-password"), std::string::npos) << e.what();
  }
  // A mailbox that does not exist is an error, not an idle forever.
  ImapSettings missing = SettingsFor(server, ImapSettings::Security::kImplicitTls);
  missing.mailbox = "Nowhere";
  ImapIdle nowhere(missing);
  EXPECT_THROW(nowhere.Start(), ImapError);
}

}  // namespace
}  // namespace rampart::mail
