#include "mail/auth/dkim_verifier.h"

#include <cstring>
#include <stdexcept>

#include "mail/auth/opendkim.h"

namespace rampart::mail {
namespace {

// libopendkim asks for the key record of a signature; the answer comes from our resolver, so
// tests (and a future cache) decide what DNS says.
DKIM_CBSTAT LookupKey(DKIM* dkim, DKIM_SIGINFO* sig, u_char* buf, size_t buflen) {
  auto* resolver = static_cast<DnsResolver*>(dkim_get_user_context(dkim));
  const auto* selector = reinterpret_cast<const char*>(dkim_sig_getselector(sig));
  const auto* domain = reinterpret_cast<const char*>(dkim_sig_getdomain(sig));
  if (resolver == nullptr || selector == nullptr || domain == nullptr) return DKIM_CBSTAT_ERROR;
  DkimKeyScope::SetSignature(domain, selector);
  const TxtAnswer answer =
      resolver->LookupTxt(std::string(selector) + "._domainkey." + std::string(domain));
  if (answer.status == TxtAnswer::Status::kTempFail) return DKIM_CBSTAT_TRYAGAIN;
  if (answer.records.empty()) return DKIM_CBSTAT_NOTFOUND;
  const std::string& record = answer.records.front();
  if (record.size() + 1 > buflen) return DKIM_CBSTAT_ERROR;
  std::memcpy(buf, record.c_str(), record.size() + 1);
  return DKIM_CBSTAT_CONTINUE;
}

std::string ReasonFor(DKIM_SIGINFO* sig) {
  if (DKIM_SIG_CHECK(sig)) return "pass";
  if (dkim_sig_getbh(sig) == DKIM_SIGBH_MISMATCH) return "body hash mismatch";
  const int error = dkim_sig_geterror(sig);
  const char* text = dkim_sig_geterrorstr(error);
  return text != nullptr && error != DKIM_SIGERROR_OK ? std::string(text) : "bad signature";
}

}  // namespace

DkimVerifier::DkimVerifier() {
  lib_ = dkim_init(nullptr, nullptr);
  if (lib_ == nullptr) throw std::runtime_error("libopendkim did not initialize");
  const unsigned flags = DKIM_LIBFLAGS_FIXCRLF;
  const unsigned min_key_bits = 1024;
  if (dkim_options(lib_, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, const_cast<unsigned*>(&flags),
                   sizeof flags) != DKIM_STAT_OK ||
      dkim_options(lib_, DKIM_OP_SETOPT, DKIM_OPTS_MINKEYBITS, const_cast<unsigned*>(&min_key_bits),
                   sizeof min_key_bits) != DKIM_STAT_OK ||
      dkim_set_key_lookup(lib_, LookupKey) != DKIM_STAT_OK) {
    dkim_close(lib_);
    throw std::runtime_error("libopendkim refused the verifier's options");
  }
}

DkimVerifier::~DkimVerifier() {
  dkim_close(lib_);
}

std::vector<DkimCheck> DkimVerifier::Verify(std::string_view message, DnsResolver& resolver) const {
  std::vector<DkimCheck> checks;
  DKIM_STAT status = DKIM_STAT_OK;
  DKIM* dkim =
      dkim_verify(lib_, reinterpret_cast<const unsigned char*>("rampart"), nullptr, &status);
  if (dkim == nullptr) return checks;
  const DkimKeyScope scope(*keys_);
  dkim_set_user_context(dkim, &resolver);
  std::string copy(message);  // libopendkim takes a non-const buffer
  dkim_chunk(dkim, reinterpret_cast<unsigned char*>(copy.data()), copy.size());
  dkim_chunk(dkim, nullptr, 0);
  dkim_eom(dkim, nullptr);  // its status is that of one signature; each is read below
  DKIM_SIGINFO** signatures = nullptr;
  int count = 0;
  if (dkim_getsiglist(dkim, &signatures, &count) == DKIM_STAT_OK) {
    for (int i = 0; i < count; ++i) {
      DKIM_SIGINFO* sig = signatures[i];
      DkimCheck check;
      if (const auto* d = dkim_sig_getdomain(sig)) check.domain = reinterpret_cast<const char*>(d);
      if (const auto* s = dkim_sig_getselector(sig))
        check.selector = reinterpret_cast<const char*>(s);
      if ((dkim_sig_getflags(sig) & DKIM_SIGFLAG_PROCESSED) == 0) dkim_sig_process(dkim, sig);
      check.passed = DKIM_SIG_CHECK(sig);
      check.reason = ReasonFor(sig);
      checks.push_back(std::move(check));
    }
  }
  dkim_free(dkim);
  return checks;
}

}  // namespace rampart::mail
