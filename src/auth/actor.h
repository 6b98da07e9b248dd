#pragma once
#include <optional>
#include <string>

#include "auth/authorize.h"
#include "storage/database.h"

namespace rampart::auth {

struct Person {
  Actor actor;
  std::string email;
  std::string name;
  bool must_change_password = false;
  bool disabled = false;
};

// Loads who a user is and what they reach (role, departments, organization); nullopt when the
// user no longer exists.
std::optional<Person> LoadPerson(storage::Connection& c, std::int64_t user_id);

}  // namespace rampart::auth
