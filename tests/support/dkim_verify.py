#!/usr/bin/python3
"""An independent DKIM verifier (Debian's python3-dkim) for the tests.

Usage: dkim_verify.py MESSAGE_FILE RECORDS_FILE
RECORDS_FILE has lines "name<TAB>TXT value" standing in for DNS. Prints one line per
signature, "pass" or "fail", and exits 0 only when every signature verifies.
"""
import sys

import dkim


def main():
    message = open(sys.argv[1], "rb").read()
    records = {}
    for line in open(sys.argv[2], encoding="ascii"):
        name, value = line.rstrip("\n").split("\t", 1)
        records[name.rstrip(".").lower()] = value.encode()

    def dnsfunc(name, timeout=5):
        return records.get(name.decode().rstrip(".").lower(), b"")

    verifier = dkim.DKIM(message)
    count = sum(1 for n, _ in verifier.headers if n.lower() == b"dkim-signature")
    ok = count > 0
    for index in range(count):
        passed = verifier.verify(idx=index, dnsfunc=dnsfunc)
        print("pass" if passed else "fail")
        ok = ok and passed
    sys.exit(0 if ok else 1)


main()
