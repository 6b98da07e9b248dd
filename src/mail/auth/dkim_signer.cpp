#include "mail/auth/dkim_signer.h"

#include <openssl/crypto.h>

#include <array>

#include "mail/auth/opendkim.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RAMPART_LEAK_CHECKED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RAMPART_LEAK_CHECKED 1
#endif
#ifdef RAMPART_LEAK_CHECKED
#include <sanitizer/lsan_interface.h>
#endif

namespace rampart::mail {
namespace {

// libopendkim 2.11 never frees the private key it parses at the end of signing
// (dkim_privkey_load, called by dkim_eom). In the sanitizer builds the leak checker is told to
// ignore what this thread allocates inside the library's signing calls, and nothing else; a
// suppression by library name would need full stack unwinding on every allocation of every
// test (seven times slower) because OpenSSL's frames end the fast unwinder's stack.
struct LibraryLeaksIgnored {
#ifdef RAMPART_LEAK_CHECKED
  LibraryLeaksIgnored() {
    __lsan_disable();
  }
  ~LibraryLeaksIgnored() {
    __lsan_enable();
  }
  LibraryLeaksIgnored(const LibraryLeaksIgnored&) = delete;
  LibraryLeaksIgnored& operator=(const LibraryLeaksIgnored&) = delete;
#endif
};

// NULL-terminated, as libopendkim reads it; the option's length is that of one pointer.
constexpr std::array<const char*, 15> kSignedHeaders = {"from",
                                                        "to",
                                                        "cc",
                                                        "subject",
                                                        "date",
                                                        "message-id",
                                                        "in-reply-to",
                                                        "references",
                                                        "reply-to",
                                                        "mime-version",
                                                        "content-type",
                                                        "content-transfer-encoding",
                                                        "auto-submitted",
                                                        "list-unsubscribe",
                                                        nullptr};
constexpr std::array<const char*, 2> kOversignedHeaders = {"from", nullptr};

void SetOption(DKIM_LIB* lib, int option, const void* value, std::size_t size) {
  if (dkim_options(lib, DKIM_OP_SETOPT, option, const_cast<void*>(value), size) != DKIM_STAT_OK) {
    throw DkimError("DKIM option " + std::to_string(option) + " was refused");
  }
}

}  // namespace

DkimSigner::DkimSigner(std::vector<DkimSigningKey> keys) : keys_(std::move(keys)) {
  if (keys_.empty()) throw DkimError("no DKIM signing key");
  lib_ = dkim_init(nullptr, nullptr);
  if (lib_ == nullptr) throw DkimError("libopendkim did not initialize");
  try {
    const unsigned flags = DKIM_LIBFLAGS_FIXCRLF;
    SetOption(lib_, DKIM_OPTS_FLAGS, &flags, sizeof flags);
    // These two take the NULL-terminated array itself, with the size of a pointer as length.
    SetOption(lib_, DKIM_OPTS_SIGNHDRS, kSignedHeaders.data(), sizeof(char**));
    SetOption(lib_, DKIM_OPTS_OVERSIGNHDRS, kOversignedHeaders.data(), sizeof(char**));
    for (const auto& key : keys_) {
      if (key.algorithm == DkimAlgorithm::kEd25519Sha256 &&
          !dkim_libfeature(lib_, DKIM_FEATURE_ED25519)) {
        throw DkimError("this libopendkim cannot sign with Ed25519");
      }
    }
  } catch (...) {
    dkim_close(lib_);
    throw;
  }
}

DkimSigner::~DkimSigner() {
  dkim_close(lib_);
}

std::string DkimSigner::Sign(std::string_view message) const {
  std::string headers;
  std::string copy(message);  // libopendkim takes a non-const buffer
  const DkimKeyScope scope(*decoded_keys_);
  for (const auto& key : keys_) {
    // libopendkim wants the key as a mutable buffer; the copy is wiped when signing ends.
    std::string pem = key.private_key_pem;
    struct Wipe {
      std::string& secret;
      ~Wipe() { OPENSSL_cleanse(secret.data(), secret.size()); }
    } wipe{pem};
    [[maybe_unused]] const LibraryLeaksIgnored library_leaks_ignored;
    DKIM_STAT status = DKIM_STAT_OK;
    DKIM* dkim = dkim_sign(
        lib_, reinterpret_cast<const unsigned char*>("rampart"), nullptr,
        reinterpret_cast<unsigned char*>(pem.data()),
        reinterpret_cast<const unsigned char*>(key.selector.c_str()),
        reinterpret_cast<const unsigned char*>(key.domain.c_str()), DKIM_CANON_RELAXED,
        DKIM_CANON_RELAXED,
        key.algorithm == DkimAlgorithm::kRsaSha256 ? DKIM_SIGN_RSASHA256 : DKIM_SIGN_ED25519SHA256,
        -1, &status);
    if (dkim == nullptr || status != DKIM_STAT_OK) {
      if (dkim != nullptr) dkim_free(dkim);
      throw DkimError("DKIM signing could not start for " + key.selector + "._domainkey." +
                      key.domain);
    }
    unsigned char* header = nullptr;
    std::size_t length = 0;
    const bool ok =
        dkim_chunk(dkim, reinterpret_cast<unsigned char*>(copy.data()), copy.size()) ==
            DKIM_STAT_OK &&
        dkim_chunk(dkim, nullptr, 0) == DKIM_STAT_OK && dkim_eom(dkim, nullptr) == DKIM_STAT_OK &&
        dkim_getsighdr_d(dkim, sizeof(DKIM_SIGNHEADER) + 1, &header, &length) == DKIM_STAT_OK;
    if (ok) {
      headers += DKIM_SIGNHEADER;
      headers += ": ";
      headers.append(reinterpret_cast<const char*>(header), length);
      headers += "\r\n";
    }
    dkim_free(dkim);
    if (!ok)
      throw DkimError("DKIM signing failed for " + key.selector + "._domainkey." + key.domain);
  }
  return headers;
}

}  // namespace rampart::mail
