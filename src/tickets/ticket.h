#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::tickets {

enum class Status { kOpen, kPending, kOnHold, kSolved, kClosed };
enum class Priority { kLow, kNormal, kHigh, kUrgent };
// Who wrote a message, as the thread shows it.
enum class AuthorKind { kEndUser, kAgent, kSystem };

std::string_view StatusName(Status status);  // "on_hold"
std::optional<Status> ParseStatus(std::string_view name);
std::string_view PriorityName(Priority priority);
std::optional<Priority> ParsePriority(std::string_view name);
std::string_view AuthorKindName(AuthorKind kind);
std::optional<AuthorKind> ParseAuthorKind(std::string_view name);
// Open, pending and on hold: someone still has work to do.
bool IsUnsolved(Status status);

// Public ticket numbers: "RMP-1042". The row id never leaves the server.
std::string FormatTicketNumber(std::int64_t number);
// Accepts "RMP-1042" (prefix in any case) or a bare "1042"; nullopt for anything else.
std::optional<std::int64_t> ParseTicketNumber(std::string_view text);

// Limits on what a ticket holds, shared by validation and the tests that probe them.
inline constexpr std::size_t kMaxSubjectChars = 300;
inline constexpr std::size_t kMaxBodyChars = 100'000;
inline constexpr std::size_t kMaxTags = 20;
inline constexpr std::size_t kMaxTagBytes = 50;
inline constexpr std::size_t kMaxCcs = 20;
inline constexpr std::size_t kMaxTextFieldChars = 1000;

}  // namespace rampart::tickets
