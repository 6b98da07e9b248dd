#include "tickets/ticket.h"

#include <charconv>

#include "core/strings.h"

namespace rampart::tickets {

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kOpen: return "open";
    case Status::kPending: return "pending";
    case Status::kOnHold: return "on_hold";
    case Status::kSolved: return "solved";
    case Status::kClosed: return "closed";
  }
  return "open";
}

std::optional<Status> ParseStatus(std::string_view name) {
  for (Status s :
       {Status::kOpen, Status::kPending, Status::kOnHold, Status::kSolved, Status::kClosed}) {
    if (name == StatusName(s)) return s;
  }
  return std::nullopt;
}

std::string_view PriorityName(Priority priority) {
  switch (priority) {
    case Priority::kLow: return "low";
    case Priority::kNormal: return "normal";
    case Priority::kHigh: return "high";
    case Priority::kUrgent: return "urgent";
  }
  return "normal";
}

std::optional<Priority> ParsePriority(std::string_view name) {
  for (Priority p : {Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent}) {
    if (name == PriorityName(p)) return p;
  }
  return std::nullopt;
}

std::string_view AuthorKindName(AuthorKind kind) {
  switch (kind) {
    case AuthorKind::kEndUser: return "end_user";
    case AuthorKind::kAgent: return "agent";
    case AuthorKind::kSystem: return "system";
  }
  return "system";
}

std::optional<AuthorKind> ParseAuthorKind(std::string_view name) {
  for (AuthorKind k : {AuthorKind::kEndUser, AuthorKind::kAgent, AuthorKind::kSystem}) {
    if (name == AuthorKindName(k)) return k;
  }
  return std::nullopt;
}

bool IsUnsolved(Status status) {
  return status == Status::kOpen || status == Status::kPending || status == Status::kOnHold;
}

std::string FormatTicketNumber(std::int64_t number) {
  return "RMP-" + std::to_string(number);
}

std::optional<std::int64_t> ParseTicketNumber(std::string_view text) {
  if (text.size() > 4 && core::EqualsIgnoreCase(text.substr(0, 4), "RMP-")) text.remove_prefix(4);
  // Digits only: from_chars would accept a sign, and "+12" or "012" are not ticket numbers.
  if (text.empty() || text.size() > 18 || text.front() == '0') return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

}  // namespace rampart::tickets
