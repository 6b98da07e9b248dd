#include "auth/api_tokens.h"

#include <sodium.h>

#include <algorithm>

#include "core/errors.h"
#include "core/random.h"
#include "core/strings.h"

namespace rampart::auth {
namespace {

// Domain separation: the server key will also encrypt secrets at rest, and a token hash must
// never be computable from (or usable as) any other derived value.

// Writing last_used_at on every call would put every API read behind the one writer.
constexpr std::int64_t kLastUsedResolutionSeconds = 60;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::size_t CountCodePoints(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0U) != 0x80U;
  }));
}

std::string CheckName(std::string_view name) {
  const std::string_view trimmed = core::Trim(name);
  if (trimmed.empty()) throw core::Invalid("name", "must not be empty");
  if (!core::IsValidUtf8(trimmed) || core::HasControlCharacters(trimmed)) {
    throw core::Invalid("name", "must be one line of text");
  }
  if (CountCodePoints(trimmed) > kMaxApiTokenNameChars) {
    throw core::Invalid("name", "at most 100 characters");
  }
  return std::string(trimmed);
}

}  // namespace

std::string_view TokenScopeName(TokenScope scope) {
  switch (scope) {
    case TokenScope::kRead: return "read";
    case TokenScope::kWrite: return "write";
    case TokenScope::kAdmin: return "admin";
  }
  return "read";
}

std::optional<TokenScope> ParseTokenScope(std::string_view name) {
  if (name == "read") return TokenScope::kRead;
  if (name == "write") return TokenScope::kWrite;
  if (name == "admin") return TokenScope::kAdmin;
  return std::nullopt;
}

ApiTokenKey::ApiTokenKey(const ServerKey& server_key) {
  server_key.Derive(static_cast<std::uint64_t>(HashPurpose::kApiToken), "apitoken", key_.data(),
                    key_.size());
}

ApiTokenKey::~ApiTokenKey() {
  sodium_memzero(key_.data(), key_.size());
}

storage::Blob ApiTokenKey::Hash(std::string_view token) const {
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256(reinterpret_cast<unsigned char*>(out.data()), Bytes(token), token.size(),
                         key_.data());
  return storage::Blob{std::move(out)};
}

bool LooksLikeApiToken(std::string_view token) {
  if (token.size() != kApiTokenLength || token.substr(0, kApiTokenPrefix.size()) != kApiTokenPrefix)
    return false;
  return std::all_of(token.begin() + static_cast<std::ptrdiff_t>(kApiTokenPrefix.size()),
                     token.end(), [](char ch) {
                       return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                              (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
                     });
}

std::string CreateApiToken(storage::Connection& c, const ApiTokenKey& key, std::int64_t user_id,
                           std::string_view name, TokenScope scope, std::int64_t now) {
  const std::string checked_name = CheckName(name);
  std::string token = std::string(kApiTokenPrefix) + core::RandomToken(32);
  c.Execute(
      "INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {user_id, checked_name, key.Hash(token), std::string(TokenScopeName(scope)), now});
  return token;
}

std::optional<AuthenticatedToken> AuthenticateApiToken(storage::Database& db,
                                                       const ApiTokenKey& key,
                                                       std::string_view token, std::int64_t now) {
  if (!LooksLikeApiToken(token)) return std::nullopt;
  const storage::Blob hash = key.Hash(token);
  std::optional<storage::Row> row;
  {
    storage::Lease c = db.Read();
    row = c->QueryOne(
        "SELECT id, user_id, scope, last_used_at, revoked_at FROM api_tokens "
        "WHERE token_hash = ?",
        {hash});
  }
  if (!row || !row->IsNull(4)) return std::nullopt;
  const auto scope = ParseTokenScope(row->Text(2));
  if (!scope) return std::nullopt;  // the schema's CHECK makes this unreachable
  AuthenticatedToken out{row->Int(1), *scope, row->Int(0)};
  const auto last_used = row->OptionalInt(3);
  if (!last_used || now - *last_used >= kLastUsedResolutionSeconds) {
    storage::Lease w = db.Write();
    w->Execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND revoked_at IS NULL",
               {now, out.token_id});
  }
  return out;
}

bool RevokeApiToken(storage::Connection& c, std::int64_t user_id, std::int64_t token_id,
                    std::int64_t now) {
  c.Execute(
      "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
      {now, token_id, user_id});
  return c.Changes() > 0;
}

std::vector<ApiTokenInfo> ListApiTokens(storage::Connection& c, std::int64_t user_id) {
  std::vector<ApiTokenInfo> out;
  for (const auto& row :
       c.Query("SELECT id, name, scope, created_at, last_used_at, revoked_at FROM api_tokens "
               "WHERE user_id = ? ORDER BY id DESC",
               {user_id})) {
    ApiTokenInfo t;
    t.id = row.Int(0);
    t.name = row.Text(1);
    t.scope = ParseTokenScope(row.Text(2)).value_or(TokenScope::kRead);
    t.created_at = row.Int(3);
    t.last_used_at = row.OptionalInt(4);
    t.revoked_at = row.OptionalInt(5);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace rampart::auth
