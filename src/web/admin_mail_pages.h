#pragma once
#include <memory>

#include "auth/secret_box.h"
#include "core/clock.h"
#include "http/message.h"
#include "mail/auth/dns_records.h"
#include "mail/auth/dns_resolver.h"
#include "storage/database.h"

namespace rampart::web {

// Mail administration: the mailboxes customers write to (/admin/mailboxes: list, add, edit,
// disable; every route needs a recent re-authentication, since they handle IMAP passwords) and
// the DNS records outgoing mail needs (/admin/mail-dns, with a check through the resolver).
class AdminMailPages {
 public:
  AdminMailPages(storage::Database& db, std::shared_ptr<const auth::SecretBox> box,
                 const core::Clock& clock, mail::MailDnsSettings dns_settings,
                 std::shared_ptr<mail::DnsResolver> resolver)
      : db_(db),
        box_(std::move(box)),
        clock_(clock),
        dns_settings_(std::move(dns_settings)),
        resolver_(std::move(resolver)) {}

  http::Response Mailboxes(http::Request& request) const;
  http::Response NewMailbox(http::Request& request) const;
  http::Response CreateMailbox(http::Request& request) const;
  http::Response Mailbox(http::Request& request) const;
  http::Response UpdateMailbox(http::Request& request) const;
  http::Response DisableMailbox(http::Request& request) const;
  http::Response MailDns(http::Request& request) const;
  http::Response CheckMailDns(http::Request& request) const;

 private:
  http::Response SaveFromForm(http::Request& request, std::int64_t id) const;

  storage::Database& db_;
  std::shared_ptr<const auth::SecretBox> box_;
  const core::Clock& clock_;
  mail::MailDnsSettings dns_settings_;
  std::shared_ptr<mail::DnsResolver> resolver_;
};

}  // namespace rampart::web
