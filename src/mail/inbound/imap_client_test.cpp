#include "mail/inbound/imap_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/dovecot_imap_settings.h"
#include "support/mail_servers.h"

namespace rampart::mail {
namespace {

using testing::DovecotServer;

const std::string kMail =
    "From: Ana <ana@customer.example>\r\nTo: support@help.example\r\nSubject: Printer\r\n"
    "Message-ID: <m1@customer.example>\r\n\r\nIt is broken.\r\n";

using testing::SettingsFor;

TEST(ImapClient, FetchesOverImplicitTlsAndMarksOnlyWhenTold) {
  DovecotServer server;
  server.Deliver(kMail);
  server.Deliver(kMail + "second\r\n");
  ImapClient client(SettingsFor(server, ImapSettings::Security::kImplicitTls));
  std::vector<std::uint64_t> uids;
  ASSERT_NO_THROW(uids = client.PendingUids()) << server.Log();
  ASSERT_EQ(uids.size(), 2u);
  const auto fetched = client.Fetch(uids[0], 1 << 20);
  EXPECT_FALSE(fetched.too_large);
  EXPECT_EQ(fetched.raw, kMail);
  // Fetched but not marked (the commit did not happen): still pending.
  EXPECT_EQ(client.PendingUids().size(), 2u);
  client.MarkImported(uids[0]);
  EXPECT_EQ(client.PendingUids(), std::vector<std::uint64_t>{uids[1]});
}

TEST(ImapClient, StartTlsWorksAndOversizedMessagesAreCut) {
  DovecotServer server;
  server.Deliver(kMail + std::string(5000, 'x'));
  ImapClient client(SettingsFor(server, ImapSettings::Security::kStartTls));
  const auto uids = client.PendingUids();
  ASSERT_EQ(uids.size(), 1u);
  const auto fetched = client.Fetch(uids[0], 1000);
  EXPECT_TRUE(fetched.too_large);
  EXPECT_EQ(fetched.raw.size(), 1000u);
}

TEST(ImapClient, RefusesAServerWithoutTlsAndSendsNoCredentials) {
  DovecotServer plain(/*tls=*/false);
  plain.Deliver(kMail);
  ImapClient client(SettingsFor(plain, ImapSettings::Security::kStartTls));
  EXPECT_THROW(client.PendingUids(), ImapError);
  // Dovecot logs the disconnect a moment after the client left, in one of two words depending on
  // whether its auth process had answered yet; both mean the client never tried to log in.
  std::string log;
  for (int i = 0; i < 100; ++i) {
    log = plain.Log();
    if (log.find("Disconnected") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(log.find("Login:"), std::string::npos) << log;
  EXPECT_EQ(log.find("auth failed"), std::string::npos) << log;
  EXPECT_TRUE(log.find("no auth attempts") != std::string::npos ||
              log.find("before auth was ready") != std::string::npos)
      << log;
}

TEST(ImapClient, RefusesACertificateThatDoesNotVerify) {
  DovecotServer server;
  ImapSettings settings = SettingsFor(server, ImapSettings::Security::kImplicitTls);
  settings.ca_file.clear();  // the self-signed certificate is in no trust store
  ImapClient client(settings);
  EXPECT_THROW(client.PendingUids(), ImapError);
  settings.host = "localhost.";  // not a name the certificate holds
  settings.ca_file = server.CaFile();
  EXPECT_THROW(ImapClient(settings).PendingUids(), ImapError);
  EXPECT_EQ(server.Log().find("Login:"), std::string::npos);
}

TEST(ImapClient, WrongPasswordIsAnErrorWithoutTheSecret) {
  DovecotServer server;
  ImapSettings settings = SettingsFor(server, ImapSettings::Security::kImplicitTls);
  settings.password = "wrong-secret";
  try {
    ImapClient(settings).PendingUids();
    FAIL() << "login with a wrong password succeeded";
  } catch (const ImapError& e) {
    EXPECT_EQ(std::string(e.what()).find("wrong-secret"), std::string::npos);
  }
}

TEST(ImapSearch, ParsesUntaggedSearchLines) {
  EXPECT_EQ(ParseSearchResponse("* SEARCH 7 3 12\r\n"), (std::vector<std::uint64_t>{3, 7, 12}));
  EXPECT_TRUE(ParseSearchResponse("* SEARCH\r\n").empty());
  EXPECT_TRUE(ParseSearchResponse("* OK whatever 5\r\n").empty());
}

}  // namespace
}  // namespace rampart::mail
