#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

struct evp_pkey_st;

namespace rampart::mail {

// Decoded DKIM keys, kept so that OpenSSL 3's decoder (about half the cost of a verification,
// and a third of a signature) runs once per key instead of once per message.
//
// libopendkim decodes every key itself and has no hook to hand it a decoded one, so the
// OpenSSL entry points it calls for that (d2i_PUBKEY_bio, EVP_PKEY_new_raw_public_key,
// PEM_read_bio_PrivateKey) are defined by Rampart and forward to OpenSSL's. They answer from a
// cache only on a thread inside a DkimKeyScope, that is inside DkimVerifier::Verify or
// DkimSigner::Sign; every other caller gets OpenSSL's own behaviour.
//
// The key bytes are part of the cache key: a record that changes in DNS is decoded afresh,
// never answered with the old key. Only keys that decoded are kept; a failure is never cached,
// and whether a signature passes is still decided per message by libopendkim.
class DkimKeyCache {
 public:
  static constexpr std::size_t kDefaultCapacity = 1024;
  explicit DkimKeyCache(std::size_t capacity = kDefaultCapacity);
  ~DkimKeyCache();
  DkimKeyCache(const DkimKeyCache&) = delete;
  DkimKeyCache& operator=(const DkimKeyCache&) = delete;

  // A new reference to the key kept under `id` (the caller frees it), or nullptr.
  evp_pkey_st* Find(const std::string& id);
  // Keeps a reference to `key` under `id`; the oldest entry goes when the cache is full.
  void Keep(const std::string& id, evp_pkey_st* key);

  std::size_t Size() const;
  std::uint64_t Hits() const;

 private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::map<std::string, evp_pkey_st*, std::less<>> keys_;
  std::deque<std::string> order_;  // insertion order, for eviction
  std::uint64_t hits_ = 0;
};

// Routes libopendkim's key decoding on this thread through `cache` while it lives.
class DkimKeyScope {
 public:
  explicit DkimKeyScope(DkimKeyCache& cache);
  ~DkimKeyScope();
  DkimKeyScope(const DkimKeyScope&) = delete;
  DkimKeyScope& operator=(const DkimKeyScope&) = delete;

  // The signature whose key is being looked up (called from the key lookup callback), so that
  // its key is cached per (domain, selector, key bytes).
  static void SetSignature(std::string_view domain, std::string_view selector);

  // The cache of this thread's innermost scope, or nullptr outside every scope.
  static DkimKeyCache* Cache();
  // The id to keep a key under: the current signature, the kind of decoding and its input.
  static std::string Id(std::string_view kind, std::string_view bytes);

 private:
  DkimKeyCache& cache_;
  std::string signature_;  // "domain selector" of the key being looked up
  DkimKeyScope* previous_;
};

}  // namespace rampart::mail
