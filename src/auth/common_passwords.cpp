#include "auth/common_passwords.h"

#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#ifndef RAMPART_COMMON_PASSWORDS_FILE
#error "src/CMakeLists.txt defines RAMPART_COMMON_PASSWORDS_FILE for this file"
#endif

// The table file (scripts/make-blocklist.sh) is assembled into read-only data as is: no
// generated source, no run-time file. src/CMakeLists.txt makes this file depend on it.
asm(".pushsection .rodata\n"
    ".balign 16\n"
    "rampart_common_passwords_begin:\n"
    ".incbin \"" RAMPART_COMMON_PASSWORDS_FILE
    "\"\n"
    "rampart_common_passwords_end:\n"
    ".popsection\n");
extern "C" const unsigned char rampart_common_passwords_begin[];
extern "C" const unsigned char rampart_common_passwords_end[];

namespace rampart::auth {
namespace {

constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kHeaderBytes = 16;

std::uint32_t ReadU32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// The table, checked once: a damaged table must stop the server, not let every password pass.
class Table {
 public:
  Table() {
    const unsigned char* data = rampart_common_passwords_begin;
    const auto size = static_cast<std::size_t>(rampart_common_passwords_end - data);
    if (size < kHeaderBytes || std::string_view(reinterpret_cast<const char*>(data), 4) != "RPBL" ||
        ReadU32(data + 4) != kFormatVersion) {
      throw std::runtime_error("common-password table: unknown format");
    }
    count_ = ReadU32(data + 8);
    bucket_bits_ = ReadU32(data + 12);
    if (bucket_bits_ < 8 || bucket_bits_ > 24) {
      throw std::runtime_error("common-password table: bad bucket size");
    }
    const std::size_t buckets = std::size_t{1} << bucket_bits_;
    offsets_ = data + kHeaderBytes;
    fingerprints_ = offsets_ + 4 * (buckets + 1);
    if (size != kHeaderBytes + 4 * (buckets + 1) + 4 * count_) {
      throw std::runtime_error("common-password table: truncated");
    }
    std::uint32_t previous = 0;
    for (std::size_t i = 0; i <= buckets; ++i) {
      const std::uint32_t offset = ReadU32(offsets_ + 4 * i);
      if (offset < previous || offset > count_ || (i == 0 && offset != 0)) {
        throw std::runtime_error("common-password table: bad bucket offsets");
      }
      previous = offset;
    }
    if (previous != count_) throw std::runtime_error("common-password table: bad bucket offsets");
  }

  bool Contains(std::string_view folded) const {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(folded.data()),
                       folded.size());
    std::uint64_t h = 0;
    for (int i = 0; i < 8; ++i) h = (h << 8) | digest[i];
    const auto bucket = static_cast<std::size_t>(h >> (64 - bucket_bits_));
    const auto fingerprint = static_cast<std::uint32_t>(h >> (64 - bucket_bits_ - 32));
    std::size_t lo = ReadU32(offsets_ + 4 * bucket);
    std::size_t hi = ReadU32(offsets_ + 4 * (bucket + 1));
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      const std::uint32_t value = ReadU32(fingerprints_ + 4 * mid);
      if (value == fingerprint) return true;
      if (value < fingerprint) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return false;
  }

  std::size_t Count() const { return count_; }

 private:
  const unsigned char* offsets_ = nullptr;
  const unsigned char* fingerprints_ = nullptr;
  std::size_t count_ = 0;
  unsigned bucket_bits_ = 0;
};

const Table& TheTable() {
  static const Table table;
  return table;
}

}  // namespace

bool IsCommonPassword(std::string_view folded) {
  return TheTable().Contains(folded);
}

std::size_t CommonPasswordCount() {
  return TheTable().Count();
}

std::string_view CommonPasswordTableSha256() {
  // Also makes the preprocessed source change with the table, so ccache (which cannot see an
  // .incbin input) never serves an object holding an old table.
  return RAMPART_COMMON_PASSWORDS_SHA256;
}

}  // namespace rampart::auth
