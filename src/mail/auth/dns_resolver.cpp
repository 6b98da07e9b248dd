#include "mail/auth/dns_resolver.h"

#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>

#include <array>
#include <cctype>
#include <cstring>

namespace rampart::mail {
namespace {

std::string Key(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string key(name);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

}  // namespace

void FixtureResolver::Add(std::string_view name, std::string record) {
  TxtAnswer& answer = answers_[Key(name)];
  answer.status = TxtAnswer::Status::kFound;
  answer.records.push_back(std::move(record));
}

void FixtureResolver::AddTempFail(std::string_view name) {
  answers_[Key(name)] = TxtAnswer{TxtAnswer::Status::kTempFail, {}};
}

TxtAnswer FixtureResolver::LookupTxt(std::string_view name) {
  const auto it = answers_.find(Key(name));
  return it == answers_.end() ? TxtAnswer{} : it->second;
}

TxtAnswer SystemResolver::LookupTxt(std::string_view name) {
  const std::string query(name);
  struct __res_state state {};
  if (res_ninit(&state) != 0) return {TxtAnswer::Status::kTempFail, {}};
  state.retrans = 2;  // seconds per try
  state.retry = 2;
  std::array<unsigned char, 16 * 1024> reply{};
  const int length = res_nquery(&state, query.c_str(), ns_c_in, ns_t_txt, reply.data(),
                                static_cast<int>(reply.size()));
  const int error = state.res_h_errno;
  res_nclose(&state);
  if (length < 0) {
    if (error == HOST_NOT_FOUND || error == NO_DATA) return {};
    return {TxtAnswer::Status::kTempFail, {}};
  }
  ns_msg message{};
  if (ns_initparse(reply.data(), length, &message) != 0) return {TxtAnswer::Status::kTempFail, {}};
  TxtAnswer answer{TxtAnswer::Status::kNoRecords, {}};
  for (int i = 0; i < ns_msg_count(message, ns_s_an); ++i) {
    ns_rr record{};
    if (ns_parserr(&message, ns_s_an, i, &record) != 0) continue;
    if (ns_rr_type(record) != ns_t_txt) continue;
    // A TXT record is a sequence of length-prefixed strings, read as their concatenation.
    const unsigned char* data = ns_rr_rdata(record);
    const unsigned length_left = ns_rr_rdlen(record);
    std::string text;
    for (unsigned at = 0; at < length_left;) {
      const unsigned piece = data[at++];
      if (at + piece > length_left) break;
      text.append(reinterpret_cast<const char*>(data + at), piece);
      at += piece;
    }
    answer.records.push_back(std::move(text));
  }
  if (!answer.records.empty()) answer.status = TxtAnswer::Status::kFound;
  return answer;
}

}  // namespace rampart::mail
