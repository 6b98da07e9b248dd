#include "auth/sign_in.h"

#include "auth/actor.h"
#include "auth/password_policy.h"
#include "core/random.h"

namespace rampart::auth {
namespace {

// Whoever can change who may do what (users, roles, security settings) enrols in a second
// factor whatever their role is called: a custom staff role with these permissions is an admin
// in all but name.
bool HoldsAdministration(storage::Database& db, std::int64_t user_id) {
  storage::Lease r = db.Read();
  const auto person = LoadPerson(*r, user_id);
  if (!person) return false;
  const PermissionSet& held = person->actor.permissions;
  return held.Has(Permission::kUserManage) || held.Has(Permission::kRoleManage) ||
         held.Has(Permission::kSettingsSecurity);
}

// A real argon2id hash of a random password, so that an unknown email is verified against
// something that costs exactly what a real account costs.
const std::string& DecoyHash(const HashCost& cost) {
  static const std::string hash = HashPassword(core::RandomToken(24), cost);
  return hash;
}

}  // namespace

const SessionTimeouts& TimeoutsFor(const SignInPolicy& policy, Role role) {
  return IsStaff(role) ? policy.staff : policy.end_users;
}

SignInOutcome SignIn(storage::Database& db, const SignInAttempt& attempt,
                     const SignInPolicy& policy, std::int64_t now) {
  SignInOutcome out;
  std::optional<storage::Row> user;
  if (attempt.email.size() <= 254 && attempt.password.size() <= 4096) {
    storage::Lease c = db.Read();
    user = c->QueryOne(
        "SELECT u.id, u.role, u.password_hash, u.disabled, u.must_change_password, "
        "EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = u.id "
        "        AND t.confirmed_at IS NOT NULL), "
        "coalesce(u.password_changed_at, u.created_at) "
        "FROM users u WHERE u.email = ?",
        {attempt.email});
  }
  if (user) {
    const Role role = ParseRole(user->Text(1)).value_or(Role::kEndUser);
    if (!policy.address_allowed(role, attempt.client_address)) {
      out.reason = "ip_denied";
      return out;
    }
  }
  // Unknown emails are throttled under a keyed name, exactly like accounts: the delays give
  // away nothing about which addresses exist.
  ThrottleKeys keys;
  keys.account =
      user ? AccountThrottleKey(user->Int(0))
           : (policy.server_key ? UnknownAccountThrottleKey(*policy.server_key, attempt.email)
                                : std::string("unknown"));
  keys.client = ClientThrottleKey(attempt.client_address);
  const SignInThrottle throttle(policy.throttle);
  bool throttled = false;
  {
    storage::Lease w = db.Write();
    throttled = !throttle.Check(*w, keys, now).allowed;
  }
  // The hash is verified even when throttled, so that a locked account costs the same time
  // as any other answer.
  const std::string& stored = user ? user->Text(2) : DecoyHash(policy.hash_cost);
  const std::optional<std::string> normalized = NormalizePassword(attempt.password);
  const bool password_ok = normalized && VerifyPassword(stored, *normalized);
  if (!user || !password_ok || throttled || user->Int(3) != 0) {
    out.reason = throttled ? "throttled" : !user || !password_ok ? "bad_credentials" : "disabled";
    if (!throttled) {
      storage::Lease w = db.Write();
      throttle.RecordFailure(*w, keys, now);
    }
    return out;
  }
  out.user_id = user->Int(0);
  out.role = ParseRole(user->Text(1)).value_or(Role::kEndUser);
  out.must_change_password = user->Int(4) != 0;
  // An expired password (only when an admin turned expiry on) is changed before anything else.
  const std::int64_t expiry_days = policy.password_expiry_days(out.role);
  const bool expired = expiry_days > 0 && now - user->Int(6) > expiry_days * 86400;
  if (expired) out.must_change_password = true;
  const bool enrolled = user->Int(5) != 0;
  if (enrolled) {
    out.second_factor = SecondFactor::kPending;
  } else if (policy.requires_second_factor(out.role) || HoldsAdministration(db, out.user_id)) {
    out.second_factor = SecondFactor::kEnroll;
  }
  // Hash outside the writer; the update is conditional on the hash not having changed since.
  std::optional<std::string> rehashed;
  if (NeedsRehash(stored, policy.hash_cost)) rehashed = HashPassword(*normalized, policy.hash_cost);

  storage::Lease w = db.Write();
  storage::Transaction tx(*w);
  if (rehashed) {
    w->Execute("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
               {*rehashed, out.user_id, stored});
  }
  w->Execute("UPDATE users SET last_sign_in_at = ? WHERE id = ?", {now, out.user_id});
  if (expired) w->Execute("UPDATE users SET must_change_password = 1 WHERE id = ?", {out.user_id});
  // The password step alone clears the client's count; the account's waits for the whole
  // sign-in when a second factor is due.
  if (out.second_factor == SecondFactor::kNone) {
    throttle.RecordSuccess(*w, keys);
  } else {
    SignInThrottle::Unlock(*w, keys.client);
  }
  out.token = CreateSession(
      *w, NewSession{out.user_id, out.second_factor, attempt.client_address, attempt.user_agent},
      now, TimeoutsFor(policy, out.role));
  tx.Commit();
  out.ok = true;
  out.reason = "signed_in";
  return out;
}

}  // namespace rampart::auth
