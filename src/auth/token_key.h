#pragma once
#include <cstddef>
#include <filesystem>
#include <string>

namespace rampart::auth {

inline constexpr std::size_t kServerKeyBytes = 32;
inline constexpr const char* kServerKeyFile = "server.key";

// The server's secret key: `data_dir/server.key`, 32 random bytes, owner-only. Created (mode
// 0600, atomically, never replacing an existing file) when absent. Throws std::runtime_error,
// without touching the file, when it is not a regular file, is readable or writable by group or
// others, or does not hold exactly 32 bytes: a key others could read is a key to refuse, not to
// repair silently.
// TODO(keys): one key-file helper with secret_box once both have landed.
std::string LoadOrCreateServerKey(const std::filesystem::path& data_dir);

}  // namespace rampart::auth
