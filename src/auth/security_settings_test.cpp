#include "auth/security_settings.h"

#include <gtest/gtest.h>

#include "storage/sqlite/temp_database.h"

namespace rampart::auth {
namespace {

TEST(SecuritySettings, DefaultsFollowNistAndTheIssue) {
  const SecuritySettings s;
  EXPECT_EQ(s.staff_passwords.min_length, 15u);
  EXPECT_EQ(s.staff_passwords.expiry_days, 0u);
  EXPECT_FALSE(s.staff_passwords.require_digit);
  EXPECT_TRUE(s.RequiresSecondFactor(Role::kOwner));
  EXPECT_TRUE(s.RequiresSecondFactor(Role::kAdmin));
  EXPECT_FALSE(s.RequiresSecondFactor(Role::kAgent));
  EXPECT_FALSE(s.RequiresSecondFactor(Role::kEndUser));
  EXPECT_TRUE(SecuritySettingsProblems(s).empty());
}

TEST(SecuritySettings, ProblemsNameTheAudienceAndField) {
  SecuritySettings s;
  s.staff_passwords.min_length = 7;
  s.end_user_passwords.history = 99;
  s.end_user_passwords.expiry_days = 5000;
  const auto problems = SecuritySettingsProblems(s);
  ASSERT_GE(problems.size(), 3u);
  EXPECT_EQ(problems[0].rfind("staff.min_length: ", 0), 0u) << problems[0];
  bool history = false;
  bool expiry = false;
  for (const auto& p : problems) {
    history = history || p.rfind("end_users.history: ", 0) == 0;
    expiry = expiry || p.rfind("end_users.expiry_days: ", 0) == 0;
  }
  EXPECT_TRUE(history);
  EXPECT_TRUE(expiry);
}

TEST(SecuritySettings, SavedValuesComeBackAndUnsetOnesTakeTheDefaults) {
  storage::sqlite::TempDatabase t;
  SecuritySettings defaults;
  defaults.staff_passwords.history = 7;
  {
    storage::Lease c = t.Db().Read();
    EXPECT_EQ(LoadSecuritySettings(*c, defaults).staff_passwords.history, 7u);
  }
  SecuritySettings s;
  s.end_user_passwords.min_length = 20;
  s.staff_passwords.require_symbol = true;
  s.second_factor_agent = true;
  s.second_factor_owner = false;
  {
    storage::Lease w = t.Db().Write();
    SaveSecuritySettings(*w, s);
  }
  storage::Lease c = t.Db().Read();
  const SecuritySettings back = LoadSecuritySettings(*c, defaults);
  EXPECT_EQ(back.end_user_passwords.min_length, 20u);
  EXPECT_TRUE(back.staff_passwords.require_symbol);
  EXPECT_TRUE(back.RequiresSecondFactor(Role::kAgent));
  EXPECT_FALSE(back.RequiresSecondFactor(Role::kOwner));
}

TEST(SecuritySettings, AHandEditedValueOutsideTheBoundsFallsBackToDefaults) {
  storage::sqlite::TempDatabase t;
  {
    storage::Lease w = t.Db().Write();
    w->Execute("INSERT INTO settings (key, value) VALUES ('security.staff.min_length', '3')");
  }
  storage::Lease c = t.Db().Read();
  EXPECT_EQ(LoadSecuritySettings(*c, SecuritySettings{}).staff_passwords.min_length, 15u);
}

TEST(SecuritySettings, CacheFollowsASaveAfterInvalidate) {
  storage::sqlite::TempDatabase t;
  SecuritySettingsCache cache(t.Db(), SecuritySettings{});
  EXPECT_FALSE(cache.Get()->RequiresSecondFactor(Role::kAgent));
  SecuritySettings s;
  s.second_factor_agent = true;
  {
    storage::Lease w = t.Db().Write();
    SaveSecuritySettings(*w, s);
  }
  EXPECT_FALSE(cache.Get()->RequiresSecondFactor(Role::kAgent)) << "cached for a few seconds";
  cache.Invalidate();
  EXPECT_TRUE(cache.Get()->RequiresSecondFactor(Role::kAgent));
}

}  // namespace
}  // namespace rampart::auth
