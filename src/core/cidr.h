#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::core {

// An IPv4 or IPv6 address; IPv4 is kept as an IPv4-mapped IPv6 address so that one comparison
// serves both ("::ffff:192.0.2.1" and "192.0.2.1" are the same client).
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  static std::optional<IpAddress> Parse(std::string_view text);
  bool IsV4Mapped() const;
  std::string ToString() const;
};

// A network such as "192.0.2.0/24" or "2001:db8::/32"; a bare address is a /32 or /128.
class Cidr {
 public:
  static std::optional<Cidr> Parse(std::string_view text);
  bool Contains(const IpAddress& address) const;
  std::string ToString() const { return text_; }

 private:
  IpAddress network_;
  int prefix_bits_ = 128;  // in the IPv6 space
  std::string text_;
};

// A list of networks; Contains is true when any contains the address.
class CidrList {
 public:
  // Parses comma- or whitespace-separated networks; returns the first bad entry in `error`.
  static std::optional<CidrList> Parse(std::string_view text, std::string& error);
  bool Empty() const { return networks_.empty(); }
  bool Contains(const IpAddress& address) const;
  bool Contains(std::string_view address) const;
  std::string ToString() const;
  const std::vector<Cidr>& Networks() const { return networks_; }

 private:
  std::vector<Cidr> networks_;
};

}  // namespace rampart::core
