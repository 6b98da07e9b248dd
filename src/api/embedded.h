#pragma once
#include <span>

#include "core/embedded_file.h"

namespace rampart::api {

// Generated at build time from api/openapi.json (cmake/EmbedFiles.cmake).
std::span<const core::EmbeddedFile> EmbeddedApiDocs();

}  // namespace rampart::api
