#include "tickets/demo_data.h"

#include <algorithm>
#include <array>
#include <random>
#include <string_view>
#include <vector>

#include "core/errors.h"

namespace rampart::tickets {
namespace {

constexpr std::array<std::string_view, 12> kProblems = {"Cannot sign in",
                                                        "Invoice shows the wrong amount",
                                                        "Printer offline again",
                                                        "Export to CSV fails",
                                                        "Password reset email missing",
                                                        "App crashes on start",
                                                        "Refund request",
                                                        "VPN drops every hour",
                                                        "Shipping address change",
                                                        "Duplicate charge",
                                                        "Slow dashboard",
                                                        "Feature request: dark mode"};
constexpr std::array<std::string_view, 8> kContexts = {
    "since this morning", "after the update",   "on my laptop",   "for the whole team",
    "on the mobile app",  "when I use Firefox", "for order 7741", "in the EU account"};
constexpr std::array<std::string_view, 10> kSentences = {
    "I tried again after clearing the cache and it still happens.",
    "The error message says something went wrong and to try later.",
    "Could you look into this as soon as possible? It blocks our work.",
    "We have attached a screenshot of what we see.",
    "This worked fine last week with the same settings.",
    "Thanks for the quick answer, that fixed part of it.",
    "Our accounting department needs this before the end of the month.",
    "I restarted the device twice and the problem persists.",
    "Please escalate this if it needs a specialist.",
    "Is there a workaround we can use in the meantime?"};
constexpr std::array<std::string_view, 5> kStatuses = {"open", "pending", "on_hold", "solved",
                                                       "closed"};
constexpr std::array<std::string_view, 4> kPriorities = {"low", "normal", "high", "urgent"};
constexpr std::array<std::string_view, 3> kDepartments = {"Support", "Billing", "Technical"};

// Requesters get a placeholder password hash that no password verifies: demo customers cannot
// sign in until an admin resets them.
constexpr std::string_view kNoLogin = "!demo-no-login";

}  // namespace

DemoResult GenerateDemoTickets(storage::Database& db, const DemoOptions& options) {
  if (options.tickets < 0 || options.tickets > 10'000'000) {
    throw core::Invalid("tickets", "must be between 0 and 10000000");
  }
  std::mt19937_64 rng(options.seed);
  const auto pick = [&](auto const& list) { return list[rng() % list.size()]; };
  DemoResult result;
  storage::Lease c = db.Write();

  std::vector<std::int64_t> departments;
  std::vector<std::int64_t> requesters;
  std::int64_t agent = 0;
  {
    storage::Transaction tx(*c);
    for (std::string_view name : kDepartments) {
      c->Execute("INSERT OR IGNORE INTO departments (name, created_at) VALUES (?, ?)",
                 {std::string(name), options.now});
      departments.push_back(
          c->QueryOne("SELECT id FROM departments WHERE name = ?", {std::string(name)})->Int(0));
    }
    for (int i = 1; i <= 50; ++i) {
      const std::string email = "customer" + std::to_string(i) + "@example.com";
      c->Execute(
          "INSERT OR IGNORE INTO users (email, name, role, password_hash, created_at) "
          "VALUES (?, ?, 'end_user', ?, ?)",
          {email, "Customer " + std::to_string(i), std::string(kNoLogin), options.now});
      requesters.push_back(c->QueryOne("SELECT id FROM users WHERE email = ?", {email})->Int(0));
    }
    const auto staff = c->QueryOne(
        "SELECT id FROM users WHERE role IN ('agent', 'admin', 'owner') "
        "ORDER BY role = 'agent' DESC, id LIMIT 1");  // an agent works the queue, not the owner
    agent = staff ? staff->Int(0) : requesters.front();
    tx.Commit();
  }

  std::int64_t next_number =
      c->QueryOne("SELECT coalesce(max(number), 1000) + 1 FROM tickets")->Int(0);
  // Batches keep each transaction's WAL growth bounded while amortising the fsync.
  constexpr std::int64_t kBatch = 5'000;
  std::int64_t remaining = options.tickets;
  while (remaining > 0) {
    const std::int64_t batch = std::min(remaining, kBatch);
    storage::Transaction tx(*c);
    for (std::int64_t i = 0; i < batch; ++i) {
      const std::int64_t created = options.now - static_cast<std::int64_t>(rng() % (90 * 86400));
      const std::int64_t requester = pick(requesters);
      const std::string subject = std::string(pick(kProblems)) + " " + std::string(pick(kContexts));
      const std::string status(pick(kStatuses));
      const bool assigned = rng() % 3 != 0;
      c->Execute(
          "INSERT INTO tickets (number, subject, requester_id, status, priority, department_id, "
          "assignee_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {next_number++, subject, requester, status, std::string(pick(kPriorities)),
           pick(departments), assigned ? storage::Value{agent} : storage::Value{nullptr}, created,
           created + static_cast<std::int64_t>(rng() % 86400)});
      const std::int64_t ticket_id = c->LastInsertId();
      const int messages = 1 + static_cast<int>(rng() % 5);  // 1..5, three on average
      for (int m = 0; m < messages; ++m) {
        std::string body;
        for (int s = 0; s < 3; ++s) body.append(pick(kSentences)).append(" ");
        const bool from_agent = m % 2 == 1;
        c->Execute(
            "INSERT INTO messages (ticket_id, author_id, body, internal, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            {ticket_id, from_agent ? agent : requester, body,
             std::int64_t{from_agent && rng() % 4 == 0 ? 1 : 0}, created + m * 600});
        ++result.messages;
      }
    }
    tx.Commit();
    result.tickets += batch;
    remaining -= batch;
  }
  return result;
}

}  // namespace rampart::tickets
