#pragma once
// libopendkim's header is C99 (it uses _Bool), not C++: this is its one way in. _Bool and bool
// have the same size and ABI on every target we build for.
#define _Bool bool  // NOLINT(bugprone-reserved-identifier)
extern "C" {
#include <opendkim/dkim.h>
}
#undef _Bool
