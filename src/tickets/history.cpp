#include "tickets/history.h"

#include <algorithm>
#include <array>

#include "tickets/policy.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

// An allowlist, so that a field added later stays hidden from end users until someone decides
// otherwise.
constexpr std::array<std::string_view, 4> kEndUserFields = {"created", "status", "reply",
                                                            "merged_into"};

}  // namespace

std::vector<HistoryEntry> TicketHistory(const auth::Actor& actor, storage::Database& db,
                                        std::string_view number) {
  RequirePermission(actor, auth::Permission::kTicketView);
  storage::Lease c = db.Read();
  ReadSnapshot snapshot(*c);
  const TicketRow t = LoadTicketFor(*c, actor, auth::Permission::kTicketView, number);
  const bool staff = ActsAsStaff(actor);
  std::vector<HistoryEntry> entries;
  c->ForEach(
      "SELECT e.at, e.actor_id, coalesce(u.name, ''), e.field, e.old_value, e.new_value "
      "FROM ticket_events AS e LEFT JOIN users AS u ON u.id = e.actor_id "
      "WHERE e.ticket_id = ? ORDER BY e.id",
      std::vector<storage::Value>{t.id}, [&](const storage::Row& row) {
        const std::string& field = row.Text(3);
        if (!staff && std::find(kEndUserFields.begin(), kEndUserFields.end(), field) ==
                          kEndUserFields.end()) {
          return;
        }
        entries.push_back({row.Int(0), row.OptionalInt(1), row.Text(2), field, row.OptionalText(4),
                           row.OptionalText(5)});
      });
  return entries;
}

}  // namespace rampart::tickets
