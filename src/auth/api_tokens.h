#pragma once
#include <array>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "auth/secret_box.h"

#include "storage/database.h"

namespace rampart::auth {

// API tokens: "rmp_" followed by 256 random bits in base64url. The prefix lets people and
// secret scanners recognise a leaked token. Only a keyed hash is stored.
inline constexpr std::string_view kApiTokenPrefix = "rmp_";
inline constexpr std::size_t kApiTokenLength = 4 + 43;
inline constexpr std::size_t kMaxApiTokenNameChars = 100;

// read: changes nothing. write: what the owner may do, except the sensitive changes that a
// session may make only after re-entering its password (roles, users). admin: those too; issued
// only from the server's shell, since a token has no password to re-enter.
enum class TokenScope { kRead, kWrite, kAdmin };
std::string_view TokenScopeName(TokenScope scope);  // "read", "write", "admin"
std::optional<TokenScope> ParseTokenScope(std::string_view name);

// The key that turns a token into what the database stores: HMAC-SHA-256 under a subkey of the
// server key. A token has 256 bits of entropy, so a slow password hash would add nothing but
// latency on every API call; the key means a stolen database alone cannot even confirm a
// guessed token.
class ApiTokenKey {
 public:
  // A subkey of the server key (`server.key`), derived for this purpose alone.
  explicit ApiTokenKey(const ServerKey& server_key);
  ~ApiTokenKey();
  ApiTokenKey(const ApiTokenKey&) = delete;
  ApiTokenKey& operator=(const ApiTokenKey&) = delete;
  storage::Blob Hash(std::string_view token) const;

 private:
  std::array<unsigned char, 32> key_{};
};

// Whether `token` has the shape of one of ours; checked before any database work.
bool LooksLikeApiToken(std::string_view token);

// Creates a token for the user and returns it: the only time it exists in the clear. Call inside
// the caller's write transaction. Throws core::Invalid for a bad name.
std::string CreateApiToken(storage::Connection& c, const ApiTokenKey& key, std::int64_t user_id,
                           std::string_view name, TokenScope scope, std::int64_t now);

struct AuthenticatedToken {
  std::int64_t user_id = 0;
  TokenScope scope = TokenScope::kRead;
  std::int64_t token_id = 0;
};

// The live token's owner and scope, or nullopt (malformed, unknown or revoked). The lookup is by
// the unique keyed hash: comparing stored hashes byte by byte leaks nothing an attacker can use,
// since without the key they cannot choose what the hash of their guess is. Records last use,
// writing at most once a minute so that API reads do not queue behind the one writer.
std::optional<AuthenticatedToken> AuthenticateApiToken(storage::Database& db,
                                                       const ApiTokenKey& key,
                                                       std::string_view token, std::int64_t now);

// Revokes one of `user_id`'s tokens. Returns false when the user has no live token with that id.
bool RevokeApiToken(storage::Connection& c, std::int64_t user_id, std::int64_t token_id,
                    std::int64_t now);

struct ApiTokenInfo {
  std::int64_t id = 0;
  std::string name;
  TokenScope scope = TokenScope::kRead;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;
  std::optional<std::int64_t> revoked_at;
};
// The user's tokens, newest first, revoked ones included. Never the token or its hash.
std::vector<ApiTokenInfo> ListApiTokens(storage::Connection& c, std::int64_t user_id);

}  // namespace rampart::auth
