#!/usr/bin/python3
"""Signs a message as a customer's mail server would (Debian's python3-dkim), for the tests.

Usage: dkim_sign.py KEY_FILE DOMAIN SELECTOR < message > signed_message
KEY_FILE is an RSA private key in PEM (as `rampart dkim keygen` writes it). Relaxed/relaxed,
signing From, To, Subject, Date, Message-ID, In-Reply-To and References.
"""
import sys

import dkim


def main():
    key = open(sys.argv[1], "rb").read()
    message = sys.stdin.buffer.read()
    headers = [b"from", b"to", b"subject", b"date", b"message-id", b"in-reply-to", b"references"]
    signature = dkim.sign(message, sys.argv[3].encode(), sys.argv[2].encode(), key,
                          canonicalize=(b"relaxed", b"relaxed"), include_headers=headers)
    sys.stdout.buffer.write(signature + message)


main()
