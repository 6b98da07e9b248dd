#include "mail/auth/dkim_key_cache.h"

#include <dlfcn.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>

namespace rampart::mail {
namespace {

thread_local DkimKeyScope* current_scope = nullptr;

// The bytes a memory BIO still holds (libopendkim hands its keys over in one); false for any
// other BIO.
bool PendingBytes(BIO* bio, std::string_view* bytes) {
  if (bio == nullptr || BIO_method_type(bio) != BIO_TYPE_MEM) return false;
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  if (length <= 0 || data == nullptr) return false;
  *bytes = std::string_view(data, static_cast<std::size_t>(length));
  return true;
}

// OpenSSL's own definition of a function Rampart also defines (the next one in link order).
template <typename Function>
Function* Next(const char* name) {
  void* next = dlsym(RTLD_NEXT, name);
  if (next == nullptr) {
    // Only possible with a libcrypto linked statically, which the build never does.
    std::fprintf(stderr, "rampart: libcrypto's %s not found\n", name);
    std::abort();
  }
  return reinterpret_cast<Function*>(next);
}

// Answers from the cache of the current scope, or decodes with `decode` and keeps what decoded.
template <typename Decode>
EVP_PKEY* Cached(std::string_view kind, std::string_view bytes, Decode decode) {
  DkimKeyCache* cache = DkimKeyScope::Cache();
  const std::string id = DkimKeyScope::Id(kind, bytes);
  if (EVP_PKEY* key = cache->Find(id)) return key;
  EVP_PKEY* key = decode();
  if (key != nullptr) cache->Keep(id, key);
  return key;
}

}  // namespace

DkimKeyCache::DkimKeyCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

DkimKeyCache::~DkimKeyCache() {
  for (auto& entry : keys_) EVP_PKEY_free(entry.second);
}

EVP_PKEY* DkimKeyCache::Find(const std::string& id) {
  const std::lock_guard lock(mutex_);
  const auto found = keys_.find(id);
  if (found == keys_.end() || EVP_PKEY_up_ref(found->second) != 1) return nullptr;
  ++hits_;
  return found->second;
}

void DkimKeyCache::Keep(const std::string& id, EVP_PKEY* key) {
  const std::lock_guard lock(mutex_);
  if (keys_.count(id) != 0 || EVP_PKEY_up_ref(key) != 1) return;
  if (keys_.size() >= capacity_) {
    const auto oldest = keys_.find(order_.front());
    EVP_PKEY_free(oldest->second);
    keys_.erase(oldest);
    order_.pop_front();
  }
  keys_.emplace(id, key);
  order_.push_back(id);
}

std::size_t DkimKeyCache::Size() const {
  const std::lock_guard lock(mutex_);
  return keys_.size();
}

std::uint64_t DkimKeyCache::Hits() const {
  const std::lock_guard lock(mutex_);
  return hits_;
}

DkimKeyScope::DkimKeyScope(DkimKeyCache& cache) : cache_(cache), previous_(current_scope) {
  current_scope = this;
}

DkimKeyScope::~DkimKeyScope() {
  current_scope = previous_;
}

void DkimKeyScope::SetSignature(std::string_view domain, std::string_view selector) {
  if (current_scope == nullptr) return;
  current_scope->signature_.assign(domain);
  current_scope->signature_ += ' ';
  current_scope->signature_ += selector;
}

DkimKeyCache* DkimKeyScope::Cache() {
  return current_scope == nullptr ? nullptr : &current_scope->cache_;
}

std::string DkimKeyScope::Id(std::string_view kind, std::string_view bytes) {
  std::string id = current_scope == nullptr ? std::string() : current_scope->signature_;
  id += '\0';
  id += kind;
  id += '\0';
  id += bytes;
  return id;
}

}  // namespace rampart::mail

// The OpenSSL functions libopendkim decodes keys with. Exported from the executable, they take
// the place of libcrypto's for every caller (ELF symbol interposition); outside a DkimKeyScope,
// or for a call that asks for more than libopendkim does, they only forward.
using rampart::mail::DkimKeyScope;

extern "C" __attribute__((visibility("default"))) EVP_PKEY* d2i_PUBKEY_bio(BIO* bio,
                                                                           EVP_PKEY** out) {
  static auto* const next = rampart::mail::Next<EVP_PKEY*(BIO*, EVP_PKEY**)>("d2i_PUBKEY_bio");
  std::string_view bytes;
  if (out != nullptr || DkimKeyScope::Cache() == nullptr ||
      !rampart::mail::PendingBytes(bio, &bytes)) {
    return next(bio, out);
  }
  return rampart::mail::Cached("spki", bytes, [&] { return next(bio, nullptr); });
}

extern "C" __attribute__((visibility("default"))) EVP_PKEY* EVP_PKEY_new_raw_public_key(
    int type, ENGINE* engine, const unsigned char* key, size_t length) {
  static auto* const next =
      rampart::mail::Next<EVP_PKEY*(int, ENGINE*, const unsigned char*, size_t)>(
          "EVP_PKEY_new_raw_public_key");
  if (engine != nullptr || key == nullptr || DkimKeyScope::Cache() == nullptr) {
    return next(type, engine, key, length);
  }
  return rampart::mail::Cached("raw" + std::to_string(type),
                               std::string_view(reinterpret_cast<const char*>(key), length),
                               [&] { return next(type, engine, key, length); });
}

extern "C" __attribute__((visibility("default"))) EVP_PKEY* PEM_read_bio_PrivateKey(
    BIO* bio, EVP_PKEY** out, pem_password_cb* callback, void* user) {
  static auto* const next =
      rampart::mail::Next<EVP_PKEY*(BIO*, EVP_PKEY**, pem_password_cb*, void*)>(
          "PEM_read_bio_PrivateKey");
  std::string_view bytes;
  if (out != nullptr || callback != nullptr || user != nullptr ||
      DkimKeyScope::Cache() == nullptr || !rampart::mail::PendingBytes(bio, &bytes)) {
    return next(bio, out, callback, user);
  }
  // A private key's id is its digest: the cache must not hold a second copy of the secret.
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &digest_length, EVP_sha256(), nullptr) != 1) {
    return next(bio, out, callback, user);
  }
  return rampart::mail::Cached(
      "pem", std::string_view(reinterpret_cast<const char*>(digest), digest_length),
      [&] { return next(bio, nullptr, nullptr, nullptr); });
}
