#include "config/config.h"

#include <toml++/toml.h>

#include "core/cidr.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <limits>

extern char** environ;  // POSIX

namespace rampart::config {
namespace {

// One configurable key: how to set it from text (env) or TOML, and how to print it.
struct Key {
  std::string name;
  std::function<std::string(Config&, const std::string&)> set_text;  // returns an error or ""
  std::function<std::string(Config&, const toml::node&)> set_toml;
  std::function<std::string(Config&)> show;
};

std::string SetInt(std::int64_t& field, std::int64_t value, std::int64_t min, std::int64_t max) {
  if (value < min || value > max) {
    return "must be between " + std::to_string(min) + " and " + std::to_string(max);
  }
  field = value;
  return "";
}

Key Int(std::string name, const std::function<std::int64_t&(Config&)>& field, std::int64_t min,
        std::int64_t max) {
  Key k;
  k.name = std::move(name);
  k.set_text = [=](Config& c, const std::string& text) -> std::string {
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size()) return "must be a whole number";
    return SetInt(field(c), v, min, max);
  };
  k.set_toml = [=](Config& c, const toml::node& n) -> std::string {
    const auto v = n.value_exact<std::int64_t>();
    if (!v) return "must be a whole number";
    return SetInt(field(c), *v, min, max);
  };
  k.show = [=](Config& c) { return std::to_string(field(c)); };
  return k;
}

Key Text(std::string name, const std::function<std::string&(Config&)>& field,
         const std::function<std::string(const std::string&)>& validate) {
  Key k;
  k.name = std::move(name);
  k.set_text = [=](Config& c, const std::string& text) -> std::string {
    std::string err = validate(text);
    if (err.empty()) field(c) = text;
    return err;
  };
  k.set_toml = [=](Config& c, const toml::node& n) -> std::string {
    const auto v = n.value_exact<std::string>();
    if (!v) return "must be a string";
    std::string err = validate(*v);
    if (err.empty()) field(c) = *v;
    return err;
  };
  k.show = [=](Config& c) { return field(c); };
  return k;
}

Key EndpointKey(std::string name, const std::function<Endpoint&(Config&)>& field,
                bool may_be_empty) {
  Key k;
  k.name = std::move(name);
  k.set_text = [=](Config& c, const std::string& text) -> std::string {
    if (text.empty() && may_be_empty) {
      field(c) = Endpoint{};
      return "";
    }
    Endpoint e;
    if (!ParseEndpoint(text, e)) return "must be HOST:PORT (IPv6 as [ADDR]:PORT)";
    field(c) = e;
    return "";
  };
  k.set_toml = [k](Config& c, const toml::node& n) -> std::string {
    const auto v = n.value_exact<std::string>();
    if (!v) return "must be a string";
    return k.set_text(c, *v);
  };
  k.show = [=](Config& c) { return field(c).ToString(); };
  return k;
}

Key Bool(std::string name, const std::function<bool&(Config&)>& field) {
  Key k;
  k.name = std::move(name);
  k.set_text = [=](Config& c, const std::string& text) -> std::string {
    if (text != "true" && text != "false") return "must be true or false";
    field(c) = text == "true";
    return "";
  };
  k.set_toml = [=](Config& c, const toml::node& n) -> std::string {
    const auto v = n.value_exact<bool>();
    if (!v) return "must be true or false";
    field(c) = *v;
    return "";
  };
  k.show = [=](Config& c) { return field(c) ? std::string("true") : std::string("false"); };
  return k;
}

std::string NoCheck(const std::string& /*value*/) {
  return "";
}

// A plain address as SMTP and headers take it: no spaces, controls or brackets.
std::string MailAddress(const std::string& v) {
  if (v.empty()) return "";
  const auto at = v.find('@');
  const bool plain = std::none_of(v.begin(), v.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u <= 0x20 || u == 0x7f || ch == '<' || ch == '>' || ch == '"' || ch == ',';
  });
  if (!plain || at == std::string::npos || at == 0 || at + 1 >= v.size() ||
      v.find('@', at + 1) != std::string::npos || v.size() > 254) {
    return "must be a plain address (name@domain)";
  }
  return "";
}

std::string NoControls(const std::string& v) {
  const bool ok = std::none_of(v.begin(), v.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u < 0x20 || u == 0x7f;
  });
  return ok ? "" : "must not contain control characters";
}

std::string HostName(const std::string& v) {
  const bool ok = std::all_of(v.begin(), v.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == ':';
  });
  return ok ? "" : "must be a host name or address";
}

// The password never comes from the TOML file (which is often readable and versioned) and is
// never shown.
Key Secret(std::string name, const std::function<std::string&(Config&)>& field) {
  Key k;
  k.name = std::move(name);
  k.set_text = [=](Config& c, const std::string& text) -> std::string {
    field(c) = text;
    return "";
  };
  k.set_toml = [](Config&, const toml::node&) -> std::string {
    return "not accepted in the file: use mail.smtp.password_file or RAMPART_MAIL_SMTP_PASSWORD";
  };
  k.show = [=](Config& c) { return field(c).empty() ? std::string() : std::string("(set)"); };
  return k;
}

std::string OneOf(const std::string& v, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (v == a) return "";
  }
  std::string msg = "must be one of:";
  for (const char* a : allowed) msg.append(" ").append(a);
  return msg;
}

const std::vector<Key>& Keys() {
  static const std::vector<Key> keys = [] {
    constexpr std::int64_t kMaxInt = std::numeric_limits<std::int32_t>::max();
    std::vector<Key> k;
    k.push_back(Text(
        "profile", [](Config& c) -> std::string& { return c.profile; },
        [](const std::string& v) {
          return OneOf(v, {"production", "staging", "development", "test"});
        }));
    k.push_back(Text(
        "log_level", [](Config& c) -> std::string& { return c.log_level; },
        [](const std::string& v) {
          return OneOf(v, {"debug", "info", "warn", "error"});
        }));
    k.push_back(EndpointKey(
        "server.listen", [](Config& c) -> Endpoint& { return c.server.listen; }, false));
    k.push_back(EndpointKey(
        "server.metrics_listen", [](Config& c) -> Endpoint& { return c.server.metrics_listen; },
        true));
    k.push_back(Text(
        "server.trusted_proxies",
        [](Config& c) -> std::string& { return c.server.trusted_proxies; },
        [](const std::string& v) -> std::string {
          std::string bad;
          if (core::CidrList::Parse(v, bad)) return "";
          return "not a network: " + bad;
        }));
    k.push_back(Text(
        "server.public_url", [](Config& c) -> std::string& { return c.server.public_url; },
        [](const std::string& v) -> std::string {
          const bool http = v.rfind("http://", 0) == 0 || v.rfind("https://", 0) == 0;
          if (!http) return "must start with http:// or https://";
          if (v.size() > 200) return "must be at most 200 characters";
          if (v.back() == '/') return "must not end with '/'";
          for (const char ch : v) {
            const auto u = static_cast<unsigned char>(ch);
            if (u <= 0x20 || u >= 0x7f || ch == '"' || ch == '<' || ch == '>' || ch == '\\') {
              return "must be a plain URL without spaces or quotes";
            }
          }
          return "";
        }));
    k.push_back(Int(
        "server.io_threads", [](Config& c) -> std::int64_t& { return c.server.io_threads; }, 1,
        64));
    k.push_back(Int(
        "server.worker_threads", [](Config& c) -> std::int64_t& { return c.server.worker_threads; },
        1, 256));
    k.push_back(Int(
        "server.waiting_threads",
        [](Config& c) -> std::int64_t& { return c.server.waiting_threads; }, 1, 1024));
    k.push_back(Int(
        "server.hashing_threads",
        [](Config& c) -> std::int64_t& { return c.server.hashing_threads; }, 1, 64));
    k.push_back(Int(
        "limits.max_header_bytes",
        [](Config& c) -> std::int64_t& { return c.limits.max_header_bytes; }, 1024, 1 << 20));
    k.push_back(Int(
        "limits.max_body_bytes", [](Config& c) -> std::int64_t& { return c.limits.max_body_bytes; },
        1024, 1LL << 30));
    k.push_back(Int(
        "limits.header_timeout_ms",
        [](Config& c) -> std::int64_t& { return c.limits.header_timeout_ms; }, 100, 600'000));
    k.push_back(Int(
        "limits.body_timeout_ms",
        [](Config& c) -> std::int64_t& { return c.limits.body_timeout_ms; }, 100, 3'600'000));
    k.push_back(Int(
        "limits.idle_timeout_ms",
        [](Config& c) -> std::int64_t& { return c.limits.idle_timeout_ms; }, 100, 3'600'000));
    k.push_back(Int(
        "limits.max_connections",
        [](Config& c) -> std::int64_t& { return c.limits.max_connections; }, 1, 1'000'000));
    k.push_back(Int(
        "limits.max_connections_per_ip",
        [](Config& c) -> std::int64_t& { return c.limits.max_connections_per_ip; }, 1, 1'000'000));
    k.push_back(Int(
        "limits.max_requests_per_connection",
        [](Config& c) -> std::int64_t& { return c.limits.max_requests_per_connection; }, 1,
        kMaxInt));
    k.push_back(Int(
        "limits.shutdown_grace_ms",
        [](Config& c) -> std::int64_t& { return c.limits.shutdown_grace_ms; }, 0, 600'000));
    k.push_back(Text(
        "storage.data_dir", [](Config& c) -> std::string& { return c.storage.data_dir; },
        [](const std::string& v) { return v.empty() ? std::string("must not be empty") : ""; }));
    k.push_back(Int(
        "storage.busy_timeout_ms",
        [](Config& c) -> std::int64_t& { return c.storage.busy_timeout_ms; }, 0, 600'000));
    k.push_back(Int(
        "storage.journal_size_limit_bytes",
        [](Config& c) -> std::int64_t& { return c.storage.journal_size_limit_bytes; }, 1 << 20,
        1LL << 40));
    k.push_back(Int(
        "storage.read_connections",
        [](Config& c) -> std::int64_t& { return c.storage.read_connections; }, 1, 64));
    k.push_back(Int(
        "auth.hash_memory_kib", [](Config& c) -> std::int64_t& { return c.auth.hash_memory_kib; },
        19456, 4 * 1024 * 1024));
    k.push_back(Int(
        "auth.hash_passes", [](Config& c) -> std::int64_t& { return c.auth.hash_passes; }, 2, 10));
    k.push_back(Int(
        "auth.staff_idle_timeout_s",
        [](Config& c) -> std::int64_t& { return c.auth.staff_idle_timeout_s; }, 60, 86400));
    k.push_back(Int(
        "auth.staff_lifetime_s", [](Config& c) -> std::int64_t& { return c.auth.staff_lifetime_s; },
        300, 7 * 86400));
    k.push_back(Int(
        "auth.end_user_idle_timeout_s",
        [](Config& c) -> std::int64_t& { return c.auth.end_user_idle_timeout_s; }, 60, 30 * 86400));
    k.push_back(Int(
        "auth.end_user_lifetime_s",
        [](Config& c) -> std::int64_t& { return c.auth.end_user_lifetime_s; }, 300, 90 * 86400));
    // Uploads are held in memory while they are checked and sealed: the caps stay well below
    // what one request may make the server hold.
    k.push_back(Int(
        "attachments.max_file_bytes",
        [](Config& c) -> std::int64_t& { return c.attachments.max_file_bytes; }, 1, 256LL << 20));
    k.push_back(Int(
        "attachments.max_files", [](Config& c) -> std::int64_t& { return c.attachments.max_files; },
        1, 100));
    k.push_back(Int(
        "attachments.max_total_bytes",
        [](Config& c) -> std::int64_t& { return c.attachments.max_total_bytes; }, 1, 512LL << 20));
    k.push_back(Text(
        "inbound.trusted_authserv_ids",
        [](Config& c) -> std::string& { return c.inbound.trusted_authserv_ids; },
        [](const std::string& v) -> std::string {
          for (char ch : v) {
            const auto u = static_cast<unsigned char>(ch);
            if (std::isalnum(u) == 0 && ch != '.' && ch != '-' && ch != ' ' && ch != ',') {
              return "host names separated by spaces or commas";
            }
          }
          return "";
        }));
    k.push_back(Int(
        "inbound.max_message_bytes",
        [](Config& c) -> std::int64_t& { return c.inbound.max_message_bytes; }, 64 * 1024,
        256LL << 20));
    k.push_back(Int(
        "inbound.max_new_tickets_per_sender_per_hour",
        [](Config& c) -> std::int64_t& { return c.inbound.max_new_tickets_per_sender_per_hour; }, 1,
        10000));
    k.push_back(Text(
        "inbound.dns_fixture_file",
        [](Config& c) -> std::string& { return c.inbound.dns_fixture_file; }, NoControls));
    k.push_back(Int(
        "auth.reauth_window_s", [](Config& c) -> std::int64_t& { return c.auth.reauth_window_s; },
        60, 3600));
    k.push_back(Text(
        "mail.from_address", [](Config& c) -> std::string& { return c.mail.from_address; },
        MailAddress));
    k.push_back(Text(
        "mail.from_name", [](Config& c) -> std::string& { return c.mail.from_name; }, NoControls));
    k.push_back(Text(
        "mail.reply_address", [](Config& c) -> std::string& { return c.mail.reply_address; },
        MailAddress));
    k.push_back(Text(
        "mail.smtp.host", [](Config& c) -> std::string& { return c.mail.smtp_host; }, HostName));
    k.push_back(Int(
        "mail.smtp.port", [](Config& c) -> std::int64_t& { return c.mail.smtp_port; }, 1, 65535));
    k.push_back(Text(
        "mail.smtp.security", [](Config& c) -> std::string& { return c.mail.smtp_security; },
        [](const std::string& v) {
          return OneOf(v, {"tls", "starttls"});
        }));
    k.push_back(Text(
        "mail.smtp.username", [](Config& c) -> std::string& { return c.mail.smtp_username; },
        NoControls));
    k.push_back(Text(
        "mail.smtp.password_file",
        [](Config& c) -> std::string& { return c.mail.smtp_password_file; }, NoCheck));
    k.push_back(Secret("mail.smtp.password",
                       [](Config& c) -> std::string& { return c.mail.smtp_password; }));
    k.push_back(Bool("mail.smtp.insecure_skip_verify",
                     [](Config& c) -> bool& { return c.mail.insecure_skip_verify; }));
    k.push_back(Text(
        "mail.smtp.ca_file", [](Config& c) -> std::string& { return c.mail.ca_file; }, NoCheck));
    k.push_back(Int(
        "mail.give_up_after_s", [](Config& c) -> std::int64_t& { return c.mail.give_up_after_s; },
        60, 30 * 86400));
    k.push_back(Text(
        "mail.dkim.domain", [](Config& c) -> std::string& { return c.mail.dkim_domain; },
        HostName));
    k.push_back(Text(
        "mail.dkim.selector", [](Config& c) -> std::string& { return c.mail.dkim_selector; },
        HostName));
    k.push_back(Text(
        "mail.dkim.key_file", [](Config& c) -> std::string& { return c.mail.dkim_key_file; },
        NoCheck));
    k.push_back(Text(
        "mail.dkim.ed25519_selector",
        [](Config& c) -> std::string& { return c.mail.dkim_ed25519_selector; }, HostName));
    k.push_back(Text(
        "mail.dkim.ed25519_key_file",
        [](Config& c) -> std::string& { return c.mail.dkim_ed25519_key_file; }, NoCheck));
    return k;
  }();
  return keys;
}

const Key* FindKey(const std::string& name) {
  for (const Key& k : Keys()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string EnvName(const std::string& key) {
  std::string out = "RAMPART_";
  for (char c : key) {
    out.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

void ApplyTable(const toml::table& table, const std::string& prefix, const std::string& source,
                Config& config, std::vector<Problem>& problems) {
  for (const auto& [raw_key, node] : table) {
    const std::string key = prefix + std::string(raw_key.str());
    if (const toml::table* sub = node.as_table()) {
      ApplyTable(*sub, key + ".", source, config, problems);
      continue;
    }
    const Key* k = FindKey(key);
    if (k == nullptr) {
      problems.push_back({source, key, "unknown key"});
      continue;
    }
    if (std::string err = k->set_toml(config, node); !err.empty()) {
      problems.push_back({source, key, err});
    }
  }
}

// The rules between mail keys: what sending needs once smtp.host is set, DKIM keys complete,
// and the From domain aligned with the DKIM d= domain (DMARC).
void CheckMail(const Mail& m, std::vector<Problem>& problems) {
  const auto problem = [&](const char* key, const char* reason) {
    problems.push_back({"config", key, reason});
  };
  const auto domain_of = [](const std::string& address) {
    const auto at = address.rfind('@');
    std::string d = at == std::string::npos ? "" : address.substr(at + 1);
    std::transform(d.begin(), d.end(), d.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return d;
  };
  if (m.Enabled() && m.from_address.empty()) {
    problem("mail.from_address", "is required when mail.smtp.host is set");
  }
  if (!m.smtp_password.empty() && !m.smtp_password_file.empty()) {
    problem("mail.smtp.password_file", "give the password one way only");
  }
  if ((!m.smtp_password.empty() || !m.smtp_password_file.empty()) && m.smtp_username.empty()) {
    problem("mail.smtp.username", "is required with a password");
  }
  const bool any_dkim = !m.dkim_domain.empty() || !m.dkim_selector.empty() ||
                        !m.dkim_key_file.empty() || !m.dkim_ed25519_selector.empty() ||
                        !m.dkim_ed25519_key_file.empty();
  if (any_dkim) {
    if (m.dkim_domain.empty()) problem("mail.dkim.domain", "is required for DKIM signing");
    if (m.dkim_selector.empty()) problem("mail.dkim.selector", "is required for DKIM signing");
    if (m.dkim_key_file.empty()) problem("mail.dkim.key_file", "is required for DKIM signing");
    if (m.dkim_ed25519_selector.empty() != m.dkim_ed25519_key_file.empty()) {
      problem("mail.dkim.ed25519_key_file", "and mail.dkim.ed25519_selector go together");
    }
    if (!m.dkim_domain.empty() && !m.from_address.empty() &&
        domain_of(m.from_address) != domain_of("@" + m.dkim_domain)) {
      problem("mail.dkim.domain", "must be the domain of mail.from_address (DMARC alignment)");
    }
  }
}

}  // namespace

std::string Endpoint::ToString() const {
  if (host.empty()) return "";
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

bool ParseEndpoint(const std::string& text, Endpoint& out) {
  std::string host;
  std::string port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return false;
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string::npos) return false;  // bare IPv6 needs brackets
  }
  if (host.empty() || port_text.empty() || port_text.size() > 5) return false;
  unsigned port = 0;
  const auto [ptr, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port > 65535) return false;
  const bool host_ok = std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':';
  });
  if (!host_ok) return false;
  out.host = host;
  out.port = static_cast<std::uint16_t>(port);
  return true;
}

std::string Problem::ToString() const {
  std::string out = source;
  if (!key.empty()) out.append(": ").append(key);
  out.append(": ").append(reason);
  return out;
}

LoadResult Load(const std::optional<std::filesystem::path>& file,
                const std::map<std::string, std::string>& environment) {
  LoadResult result;
  if (file) {
    const std::string source = file->string();
    try {
      const toml::table table = toml::parse_file(source);
      ApplyTable(table, "", source, result.config, result.problems);
    } catch (const toml::parse_error& e) {
      const auto& where = e.source().begin;
      result.problems.push_back(
          {source + ":" + std::to_string(where.line) + ":" + std::to_string(where.column), "",
           std::string(e.description())});
    }
  }
  for (const Key& k : Keys()) {
    const auto it = environment.find(EnvName(k.name));
    if (it == environment.end()) continue;
    if (std::string err = k.set_text(result.config, it->second); !err.empty()) {
      result.problems.push_back({it->first, k.name, err});
    }
  }
  CheckMail(result.config.mail, result.problems);
  // Unknown RAMPART_* variables are most likely typos of real keys: report them.
  for (const auto& entry : environment) {
    const std::string& name = entry.first;
    if (name.rfind("RAMPART_", 0) != 0) continue;
    const bool known = std::any_of(Keys().begin(), Keys().end(),
                                   [&](const Key& k) { return EnvName(k.name) == name; });
    if (!known) result.problems.push_back({name, "", "unknown configuration variable"});
  }
  return result;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

std::vector<std::pair<std::string, std::string>> Describe(const Config& config) {
  std::vector<std::pair<std::string, std::string>> out;
  Config copy = config;
  for (const Key& k : Keys()) out.emplace_back(k.name, k.show(copy));
  return out;
}

}  // namespace rampart::config
