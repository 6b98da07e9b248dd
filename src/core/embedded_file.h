#pragma once
#include <span>
#include <string_view>

namespace rampart::core {

// One file compiled into the binary (see cmake/EmbedFiles.cmake).
struct EmbeddedFile {
  std::string_view path;
  std::string_view bytes;
};

}  // namespace rampart::core
