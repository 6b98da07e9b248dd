#include "mail/auth/public_suffix.h"

#include <idn2.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace rampart::mail {
namespace {

// The list is UTF-8; mail headers carry A-labels ("xn--..."). Rules that do not convert
// (none in the shipped list) are skipped rather than guessed.
std::string ToAscii(std::string_view rule) {
  const std::string input(rule);
  char* ascii = nullptr;
  if (idn2_to_ascii_8z(input.c_str(), &ascii, IDN2_NONTRANSITIONAL) != IDN2_OK) return {};
  std::string out(ascii);
  idn2_free(ascii);
  return out;
}

std::vector<std::string_view> Labels(std::string_view domain) {
  std::vector<std::string_view> labels;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    labels.push_back(domain.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels;
}

// The last `count` labels of `labels`, joined with dots.
std::string Suffix(const std::vector<std::string_view>& labels, std::size_t count) {
  std::string out;
  for (std::size_t i = labels.size() - count; i < labels.size(); ++i) {
    if (!out.empty()) out += '.';
    out += labels[i];
  }
  return out;
}

}  // namespace

std::string NormalizedDomain(std::string_view domain) {
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  if (domain.empty() || domain.size() > 253) return {};
  std::string out;
  out.reserve(domain.size());
  for (char c : domain) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) == 0 && c != '-' && c != '.' && c != '_') return {};
    out.push_back(static_cast<char>(std::tolower(u)));
  }
  if (out.front() == '.' || out.find("..") != std::string::npos) return {};
  return out;
}

PublicSuffixList PublicSuffixList::Load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the public suffix list " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  PublicSuffixList list = FromText(text.str());
  if (list.rules_.empty()) throw std::runtime_error("no rules in " + file.string());
  return list;
}

PublicSuffixList PublicSuffixList::FromText(std::string_view text) {
  PublicSuffixList list;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    // A rule is the line up to the first white space; comments start with "//".
    line = line.substr(0, line.find_first_of(" \t\r"));
    if (line.empty() || line.substr(0, 2) == "//") continue;
    if (line.front() == '!') {
      if (auto rule = ToAscii(line.substr(1)); !rule.empty()) list.exceptions_.insert(rule);
    } else if (line.substr(0, 2) == "*.") {
      if (auto rule = ToAscii(line.substr(2)); !rule.empty()) list.wildcards_.insert(rule);
    } else if (auto rule = ToAscii(line); !rule.empty()) {
      list.rules_.insert(rule);
    }
  }
  return list;
}

std::string PublicSuffixList::OrganizationalDomain(std::string_view raw) const {
  std::string domain = NormalizedDomain(raw);  // returned as is when it is a suffix itself
  if (domain.empty()) return {};
  const std::vector<std::string_view> labels = Labels(domain);
  // The public suffix is the longest matching rule; an exception rule wins and makes the
  // suffix one label shorter; with no match the rule "*" applies (the last label).
  std::size_t suffix_labels = 1;
  for (std::size_t count = 1; count <= labels.size(); ++count) {
    const std::string candidate = Suffix(labels, count);
    if (exceptions_.contains(candidate)) {
      suffix_labels = count - 1;
      break;
    }
    if (rules_.contains(candidate)) suffix_labels = std::max(suffix_labels, count);
    if (count >= 2 && wildcards_.contains(Suffix(labels, count - 1))) {
      suffix_labels = std::max(suffix_labels, count);
    }
  }
  if (suffix_labels >= labels.size()) return domain;
  return Suffix(labels, suffix_labels + 1);
}

}  // namespace rampart::mail
