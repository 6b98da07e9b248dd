#include "audit/audit_log.h"

#include <sodium.h>

#include <array>

namespace rampart::audit {
namespace {

void AppendBigEndian(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void AppendField(std::string& out, std::string_view field) {
  AppendBigEndian(out, field.size(), 4);
  out.append(field);
}

}  // namespace

std::string Hash(std::string_view prev_hash, std::int64_t at, std::optional<std::int64_t> actor_id,
                 std::string_view event, std::string_view target, std::string_view client,
                 std::string_view detail) {
  std::string input;
  AppendField(input, prev_hash);
  AppendBigEndian(input, static_cast<std::uint64_t>(at), 8);
  AppendBigEndian(input, static_cast<std::uint64_t>(actor_id.value_or(0)), 8);
  AppendField(input, event);
  AppendField(input, target);
  AppendField(input, client);
  AppendField(input, detail);
  std::array<unsigned char, crypto_hash_sha256_BYTES> hash{};
  crypto_hash_sha256(hash.data(), reinterpret_cast<const unsigned char*>(input.data()),
                     input.size());
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

void Append(storage::Connection& c, std::int64_t at, std::optional<std::int64_t> actor_id,
            std::string_view event, std::string_view target, std::string_view client,
            std::string_view detail) {
  const auto last = c.QueryOne("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1");
  const std::string prev = last ? last->Bytes(0) : std::string(crypto_hash_sha256_BYTES, '\0');
  const std::string hash = Hash(prev, at, actor_id, event, target, client, detail);
  const storage::Value actor = actor_id ? storage::Value{*actor_id} : storage::Value{nullptr};
  c.Execute(
      "INSERT INTO audit_events (at, actor_id, event, target, client, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {at, actor, std::string(event), std::string(target), std::string(client).substr(0, 64),
       std::string(detail), storage::Blob{prev}, storage::Blob{hash}});
}

}  // namespace rampart::audit
