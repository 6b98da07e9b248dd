#pragma once
#include <cstddef>
#include <string_view>

namespace rampart::auth {

// The common-password blocklist: 474,743 passwords of 8 or more characters from the million
// most frequent passwords of a public breach corpus (docs/password-blocklist.md). It is compiled
// into the binary, so the server needs no file or network to use it.
//
// Each entry is a 46-bit fingerprint of SHA-256 over the case-folded NFKC password, in 16,384
// sorted buckets: a lookup is one hash and a binary search over about 29 entries. A password
// outside the list matches by chance with probability about 7e-9.
inline constexpr std::size_t kCommonPasswordMinLength = 8;

// True when `folded` (FoldPassword's output) is on the list. Passwords shorter than
// kCommonPasswordMinLength are not listed: the length rule refuses them anyway.
bool IsCommonPassword(std::string_view folded);
std::size_t CommonPasswordCount();
// SHA-256 (hex) of the compiled-in table, for diagnostics.
std::string_view CommonPasswordTableSha256();

}  // namespace rampart::auth
