#pragma once
#include <span>

#include "core/embedded_file.h"

namespace rampart::web {

// Generated at build time from web/templates/ and web/static/ (cmake/EmbedFiles.cmake).
std::span<const core::EmbeddedFile> EmbeddedTemplates();
std::span<const core::EmbeddedFile> EmbeddedStatic();

}  // namespace rampart::web
