#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::mail {

struct TxtAnswer {
  enum class Status {
    kFound,      // records holds every TXT record of the name (each record's strings joined)
    kNoRecords,  // NXDOMAIN or no TXT records: a definite "nothing published"
    kTempFail,   // timeout, SERVFAIL: the answer is unknown and the decision must be deferred
  };
  Status status = Status::kNoRecords;
  std::vector<std::string> records;
};

// Every DNS lookup of mail authentication (DMARC policies, DKIM keys) goes through this one
// interface, so that tests answer from a fixture table and the server from the system resolver.
class DnsResolver {
 public:
  virtual ~DnsResolver() = default;
  virtual TxtAnswer LookupTxt(std::string_view name) = 0;
};

// Answers from a fixed table; names missing from it have no records. Names are compared
// case-insensitively, with or without the trailing dot.
class FixtureResolver : public DnsResolver {
 public:
  void Add(std::string_view name, std::string record);
  void AddTempFail(std::string_view name);
  TxtAnswer LookupTxt(std::string_view name) override;

 private:
  std::map<std::string, TxtAnswer> answers_;
};

// The system's stub resolver (res_nquery, /etc/resolv.conf), blocking: call it from a worker,
// never from an I/O thread. Each query is bounded by the resolver's timeout and attempts.
class SystemResolver : public DnsResolver {
 public:
  TxtAnswer LookupTxt(std::string_view name) override;
};

}  // namespace rampart::mail
