#include "core/cidr.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace rampart::core {

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  // Bracketed IPv6 ("[2001:db8::1]") as it appears in Forwarded headers.
  if (text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  const std::string s(text);
  IpAddress out;
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out.bytes[10] = 0xFF;
    out.bytes[11] = 0xFF;
    std::memcpy(out.bytes.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.bytes.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool IpAddress::IsV4Mapped() const {
  for (int i = 0; i < 10; ++i) {
    if (bytes[static_cast<std::size_t>(i)] != 0) return false;
  }
  return bytes[10] == 0xFF && bytes[11] == 0xFF;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (IsV4Mapped()) {
    inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<Cidr> Cidr::Parse(std::string_view text) {
  Cidr c;
  const auto slash = text.find('/');
  const auto address = IpAddress::Parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  const bool v4 = address->IsV4Mapped();
  int bits = v4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view b = text.substr(slash + 1);
    const auto [ptr, ec] = std::from_chars(b.data(), b.data() + b.size(), bits);
    if (ec != std::errc() || ptr != b.data() + b.size() || b.empty() || bits < 0 ||
        bits > (v4 ? 32 : 128)) {
      return std::nullopt;
    }
  }
  c.prefix_bits_ = v4 ? bits + 96 : bits;
  c.network_ = *address;
  // Zero the host part so that "192.0.2.7/24" means 192.0.2.0/24.
  for (int i = c.prefix_bits_; i < 128; ++i) {
    c.network_.bytes[static_cast<std::size_t>(i / 8)] &=
        static_cast<std::uint8_t>(~(0x80 >> (i % 8)));
  }
  c.text_ = c.network_.ToString() + "/" + std::to_string(bits);
  return c;
}

bool Cidr::Contains(const IpAddress& address) const {
  const int full = prefix_bits_ / 8;
  for (int i = 0; i < full; ++i) {
    if (address.bytes[static_cast<std::size_t>(i)] != network_.bytes[static_cast<std::size_t>(i)]) {
      return false;
    }
  }
  const int rest = prefix_bits_ % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (address.bytes[static_cast<std::size_t>(full)] & mask) ==
         (network_.bytes[static_cast<std::size_t>(full)] & mask);
}

std::optional<CidrList> CidrList::Parse(std::string_view text, std::string& error) {
  CidrList list;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ',' || text[i] == ' ' || text[i] == '\n' ||
                               text[i] == '\r' || text[i] == '\t')) {
      ++i;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] != ',' && text[j] != ' ' && text[j] != '\n' &&
           text[j] != '\r' && text[j] != '\t') {
      ++j;
    }
    if (j > i) {
      const std::string_view entry = text.substr(i, j - i);
      auto cidr = Cidr::Parse(entry);
      if (!cidr) {
        error = std::string(entry.substr(0, 64));
        return std::nullopt;
      }
      list.networks_.push_back(*cidr);
      if (list.networks_.size() > 1000) {
        error = "more than 1000 networks";
        return std::nullopt;
      }
    }
    i = j;
  }
  return list;
}

bool CidrList::Contains(const IpAddress& address) const {
  for (const Cidr& c : networks_) {
    if (c.Contains(address)) return true;
  }
  return false;
}

bool CidrList::Contains(std::string_view address) const {
  const auto parsed = IpAddress::Parse(address);
  return parsed && Contains(*parsed);
}

std::string CidrList::ToString() const {
  std::string out;
  for (const Cidr& c : networks_) out.append(out.empty() ? "" : ", ").append(c.ToString());
  return out;
}

}  // namespace rampart::core
