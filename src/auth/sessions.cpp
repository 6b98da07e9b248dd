#include "auth/sessions.h"

#include <sodium.h>

#include "core/random.h"
#include "core/strings.h"

namespace rampart::auth {
namespace {

// BLAKE2b-256 of the token. The token has 256 bits of entropy, so a plain hash suffices: a copy
// of the database does not yield a usable cookie.
storage::Blob HashToken(const std::string& token) {
  std::string out(32, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  return storage::Blob{out};
}

SecondFactor ParseSecondFactor(const std::string& s) {
  if (s == "pending") return SecondFactor::kPending;
  if (s == "enroll") return SecondFactor::kEnroll;
  if (s == "done") return SecondFactor::kDone;
  return SecondFactor::kNone;
}

Session FromRow(const storage::Row& r) {
  Session s;
  s.handle = core::HexEncode(r.Bytes(0));
  s.user_id = r.Int(1);
  s.csrf_token = r.Text(2);
  s.created_at = r.Int(3);
  s.last_seen_at = r.Int(4);
  s.expires_at = r.Int(5);
  s.reauth_at = r.Int(6);
  s.second_factor = ParseSecondFactor(r.Text(7));
  s.client_address = r.Text(8);
  s.user_agent = r.Text(9);
  return s;
}

}  // namespace

std::string_view SecondFactorName(SecondFactor f) {
  switch (f) {
    case SecondFactor::kNone: return "none";
    case SecondFactor::kPending: return "pending";
    case SecondFactor::kEnroll: return "enroll";
    case SecondFactor::kDone: return "done";
  }
  return "none";
}

std::string SessionHandle(const std::string& token) {
  return core::HexEncode(HashToken(token).bytes);
}

std::string CreateSession(storage::Connection& c, const NewSession& s, std::int64_t now,
                          const SessionTimeouts& timeouts) {
  std::string token = core::RandomToken(32);
  c.Execute(
      "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, "
      "reauth_at, second_factor, client_address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {HashToken(token), s.user_id, core::RandomToken(32), now, now,
       now + timeouts.lifetime_seconds, now, std::string(SecondFactorName(s.second_factor)),
       s.client_address.substr(0, 64), s.user_agent.substr(0, 300)});
  return token;
}

std::optional<Session> LoadSession(storage::Database& db, const std::string& token,
                                   std::int64_t now, const SessionTimeouts& timeouts) {
  if (token.size() != 43) return std::nullopt;  // 32 bytes in base64url without padding
  const storage::Blob hash = HashToken(token);
  std::optional<Session> session;
  {
    storage::Lease c = db.Read();
    auto row = c->QueryOne(
        "SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, reauth_at, "
        "second_factor, client_address, user_agent FROM sessions WHERE id_hash = ?",
        {hash});
    if (!row) return std::nullopt;
    session = FromRow(*row);
  }
  const bool idle_expired = now - session->last_seen_at > timeouts.idle_seconds;
  if (idle_expired || now >= session->expires_at) {
    storage::Lease w = db.Write();
    w->Execute("DELETE FROM sessions WHERE id_hash = ?", {hash});
    return std::nullopt;
  }
  // Writing last_seen on every request would serialize all reads behind the writer.
  if (now - session->last_seen_at >= 60) {
    storage::Lease w = db.Write();
    w->Execute("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", {now, hash});
    session->last_seen_at = now;
  }
  return session;
}

void RevokeSession(storage::Connection& c, const std::string& token) {
  c.Execute("DELETE FROM sessions WHERE id_hash = ?", {HashToken(token)});
}

bool RevokeSessionByHandle(storage::Connection& c, std::int64_t user_id,
                           const std::string& handle) {
  for (const auto& row : c.Query("SELECT id_hash FROM sessions WHERE user_id = ?", {user_id})) {
    if (core::HexEncode(row.Bytes(0)) == handle) {
      c.Execute("DELETE FROM sessions WHERE id_hash = ? AND user_id = ?",
                {storage::Blob{row.Bytes(0)}, user_id});
      return true;
    }
  }
  return false;
}

int RevokeOtherSessions(storage::Connection& c, std::int64_t user_id,
                        const std::string& keep_token) {
  const storage::Blob keep = keep_token.empty() ? storage::Blob{} : HashToken(keep_token);
  c.Execute("DELETE FROM sessions WHERE user_id = ? AND id_hash != ?", {user_id, keep});
  return static_cast<int>(c.Changes());
}

std::string RotateSession(storage::Connection& c, const std::string& old_token, SecondFactor f,
                          std::int64_t now, const SessionTimeouts& timeouts) {
  auto row =
      c.QueryOne("SELECT user_id, client_address, user_agent FROM sessions WHERE id_hash = ?",
                 {HashToken(old_token)});
  if (!row) return "";
  RevokeSession(c, old_token);
  return CreateSession(c, NewSession{row->Int(0), f, row->Text(1), row->Text(2)}, now, timeouts);
}

void MarkReauthenticated(storage::Connection& c, const std::string& token, std::int64_t now) {
  c.Execute("UPDATE sessions SET reauth_at = ? WHERE id_hash = ?", {now, HashToken(token)});
}

std::vector<Session> ListSessions(storage::Database& db, std::int64_t user_id) {
  storage::Lease c = db.Read();
  std::vector<Session> out;
  for (const auto& row : c->Query(
           "SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, reauth_at, "
           "second_factor, client_address, user_agent FROM sessions WHERE user_id = ? "
           "ORDER BY last_seen_at DESC",
           {user_id})) {
    out.push_back(FromRow(row));
  }
  return out;
}

}  // namespace rampart::auth
