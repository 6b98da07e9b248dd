#include "app/outbound_mail.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "app/commands.h"
#include "mail/auth/dkim_key.h"

namespace rampart::app {

std::string ReadSecretFile(const std::string& key, const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw std::runtime_error(key + ": " + path + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    throw std::runtime_error(key + ": " + path + " must not be readable by group or others");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw std::runtime_error(key + ": cannot read " + path);
  return text.str();
}

namespace {

mail::DkimSigningKey SigningKey(const std::string& domain, const std::string& selector,
                                const std::string& key, const std::string& file) {
  mail::DkimSigningKey k;
  k.domain = domain;
  k.selector = selector;
  k.private_key_pem = ReadSecretFile(key, file);
  const std::string record = mail::DkimDnsRecord(k.private_key_pem);
  if (record.empty()) throw std::runtime_error(key + ": " + file + " holds no usable key");
  k.algorithm = record.find("k=ed25519") != std::string::npos ? mail::DkimAlgorithm::kEd25519Sha256
                                                              : mail::DkimAlgorithm::kRsaSha256;
  return k;
}

}  // namespace

mail::OutboundSettings OutboundSettingsFrom(const config::Mail& m) {
  mail::OutboundSettings s;
  s.smtp.host = m.smtp_host;
  s.smtp.port = static_cast<int>(m.smtp_port);
  s.smtp.security = m.smtp_security == "tls" ? mail::SmtpSettings::Security::kImplicitTls
                                             : mail::SmtpSettings::Security::kStartTls;
  s.smtp.username = m.smtp_username;
  s.smtp.password = m.smtp_password;
  if (!m.smtp_password_file.empty()) {
    s.smtp.password = ReadSecretFile("mail.smtp.password_file", m.smtp_password_file);
    while (!s.smtp.password.empty() &&
           (s.smtp.password.back() == '\n' || s.smtp.password.back() == '\r')) {
      s.smtp.password.pop_back();
    }
  }
  s.smtp.insecure_skip_verify = m.insecure_skip_verify;
  s.smtp.ca_file = m.ca_file;
  s.from_address = m.from_address;
  s.from_name = m.from_name;
  s.reply_address = m.reply_address;
  s.give_up_after_s = m.give_up_after_s;
  if (!m.dkim_key_file.empty()) {
    s.dkim_keys.push_back(
        SigningKey(m.dkim_domain, m.dkim_selector, "mail.dkim.key_file", m.dkim_key_file));
  }
  if (!m.dkim_ed25519_key_file.empty()) {
    s.dkim_keys.push_back(SigningKey(m.dkim_domain, m.dkim_ed25519_selector,
                                     "mail.dkim.ed25519_key_file", m.dkim_ed25519_key_file));
  }
  return s;
}

int DkimKeygen(const std::string& domain, const std::string& selector, const std::string& algorithm,
               const std::filesystem::path& out) {
  const auto plain = [](const std::string& v) {
    if (v.empty() || v.size() > 253) return false;
    for (const char ch : v) {
      if (std::isalnum(static_cast<unsigned char>(ch)) == 0 && ch != '.' && ch != '-' &&
          ch != '_') {
        return false;
      }
    }
    return true;
  };
  if (!plain(domain)) {
    std::cerr << "rejected: domain: must be a domain name\n";
    return kExitInvalidInput;
  }
  if (!plain(selector)) {
    std::cerr << "rejected: selector: must be letters, digits, dots, hyphens\n";
    return kExitInvalidInput;
  }
  const auto alg = algorithm == "ed25519" ? mail::DkimAlgorithm::kEd25519Sha256
                                          : mail::DkimAlgorithm::kRsaSha256;
  const mail::DkimKeyPair pair = mail::GenerateDkimKey(alg);
  // O_EXCL: an existing key (perhaps the published one) is never overwritten.
  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::cerr << "conflict: " << out.string() << " exists or cannot be created; nothing written\n";
    return kExitConflict;
  }
  const std::string& pem = pair.private_key_pem;
  const bool written =
      ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    std::filesystem::remove(out);
    std::cerr << "error: cannot write " << out.string() << "\n";
    return kExitFailure;
  }
  // DNS TXT strings hold at most 255 bytes each; an RSA-2048 record needs two.
  std::cout << selector << "._domainkey." << domain << ". IN TXT (";
  for (std::size_t i = 0; i < pair.dns_record.size(); i += 250) {
    std::cout << " \"" << pair.dns_record.substr(i, 250) << "\"";
  }
  std::cout << " )\n";
  std::cerr << "wrote " << out.string() << " (mode 0600); publish the record above, then set "
            << "mail.dkim.domain, mail.dkim.selector and mail.dkim.key_file\n";
  return kExitOk;
}

}  // namespace rampart::app
