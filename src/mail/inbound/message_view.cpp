#include "mail/inbound/message_view.h"

#include <algorithm>

#include "core/errors.h"
#include "tickets/policy.h"

namespace rampart::mail {

std::map<std::int64_t, MessageMailFacts> MailFactsOf(const auth::Actor& actor,
                                                     storage::Database& db,
                                                     const tickets::TicketView& view) {
  tickets::RequirePermission(actor, auth::Permission::kTicketView);
  std::map<std::int64_t, MessageMailFacts> facts;
  if (view.thread.empty()) return facts;
  const bool staff = tickets::ActsAsStaff(actor);
  storage::Lease c = db.Read();
  // One query for the whole thread; rows of messages the view does not hold are skipped below.
  const auto rows = c->Query(
      "SELECT m.id, m.body_html IS NOT NULL AND length(m.body_html) > 0, mm.id, mm.dkim, mm.spf, "
      "mm.dmarc, mm.aligned_by, mm.reply_token FROM messages AS m "
      "JOIN tickets AS t ON t.id = m.ticket_id "
      "LEFT JOIN mail_messages AS mm ON mm.thread_message_id = m.id "
      "WHERE t.number = ? ORDER BY m.id",
      {view.number});
  for (const auto& row : rows) {
    const std::int64_t id = row.Int(0);
    const bool visible = std::any_of(view.thread.begin(), view.thread.end(),
                                     [id](const tickets::ThreadMessage& m) { return m.id == id; });
    if (!visible) continue;
    MessageMailFacts& f = facts[id];
    f.has_html = f.has_html || row.Int(1) != 0;
    if (staff && row.OptionalInt(2)) {
      f.checks = SenderChecks{row.Text(3), row.Text(4), row.Text(5), row.Text(6), row.Text(7)};
    }
  }
  return facts;
}

std::string MessageHtml(const auth::Actor& actor, storage::Database& db, std::string_view number,
                        std::int64_t message_id) {
  // The ticket's own visibility rules decide: GetTicket throws NotFound for a ticket out of
  // reach and leaves internal notes out of a customer's thread.
  const tickets::TicketView view = tickets::GetTicket(actor, db, number);
  const bool visible =
      std::any_of(view.thread.begin(), view.thread.end(),
                  [message_id](const tickets::ThreadMessage& m) { return m.id == message_id; });
  if (!visible) throw core::NotFound("message not in the actor's view of the ticket");
  storage::Lease c = db.Read();
  const auto row = c->QueryOne(
      "SELECT m.body_html FROM messages AS m JOIN tickets AS t ON t.id = m.ticket_id "
      "WHERE m.id = ? AND t.number = ? AND m.body_html IS NOT NULL",
      {message_id, view.number});
  if (!row || row->Text(0).empty()) throw core::NotFound("message has no HTML body");
  return row->Text(0);
}

std::string DescribeSenderChecks(const SenderChecks& checks) {
  std::string line = "DKIM " + (checks.dkim.empty() ? std::string("none") : checks.dkim);
  line += " · SPF ";
  line += checks.spf.empty() || checks.spf == "none" ? std::string("none")
                                                     : checks.spf + " (from trusted receiver)";
  line += " · DMARC ";
  line += checks.aligned_by.empty()
              ? (checks.dmarc.empty() ? std::string("none") : checks.dmarc) + ", not aligned"
              : checks.dmarc + ", aligned by " + checks.aligned_by;
  line += " · reply token ";
  line += checks.reply_token.empty() ? std::string("none") : checks.reply_token;
  return line;
}

}  // namespace rampart::mail
