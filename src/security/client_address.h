#pragma once
#include <string>

#include "core/cidr.h"
#include "http/message.h"
#include "http/pipeline.h"

namespace rampart::security {

// The client's address: the socket's peer, unless the peer is a trusted proxy, in which case the
// rightmost address in X-Forwarded-For (or Forwarded: for=) that is not itself a trusted proxy.
// Headers from untrusted peers are ignored, so a client cannot choose its own address.
std::string ClientAddress(const http::Request& request, const core::CidrList& trusted_proxies);

// Sets request.client_address; first in the pipeline so every later stage and log line uses it.
http::Stage ClientAddressStage(core::CidrList trusted_proxies);

}  // namespace rampart::security
