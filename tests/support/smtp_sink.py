#!/usr/bin/python3
"""An SMTP server for the tests, on loopback (Debian's python3-aiosmtpd).

Usage: smtp_sink.py DIR MODE [CERT KEY]
MODE is "starttls" (STARTTLS offered and required before AUTH and MAIL) or "plain" (no TLS at
all: the misconfigured server a client must refuse). AUTH accepts user "rampart" with password
"sink-password". Each message is written to DIR/<n>.eml, and DIR/<n>.json says whether it came
over TLS and who authenticated; every AUTH attempt is appended to DIR/auth.log, so a test can
prove that no credentials were sent. Prints "port N" once listening; stops at EOF on stdin.
"""
import json
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

directory, mode = sys.argv[1], sys.argv[2]
counter = [0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def authenticator(server, session, envelope, mechanism, auth_data):
    with open(os.path.join(directory, "auth.log"), "a", encoding="utf-8") as log:
        log.write(f"{mechanism} tls={session.ssl is not None}\n")
    ok = (getattr(auth_data, "login", b"") == b"rampart"
          and getattr(auth_data, "password", b"") == b"sink-password")
    # handled=False: aiosmtpd itself answers 535 on failure (True would leave the client waiting).
    return AuthResult(success=ok, handled=False)


class Recorder:
    async def handle_DATA(self, server, session, envelope):
        counter[0] += 1
        base = os.path.join(directory, str(counter[0]))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w", encoding="utf-8") as f:
            json.dump({"tls": session.ssl is not None, "mail_from": envelope.mail_from,
                       "rcpt_tos": envelope.rcpt_tos,
                       "authenticated": session.authenticated}, f)
        return "250 OK"


kwargs = dict(hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
              auth_required=True)
if mode == "starttls":
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    kwargs.update(tls_context=context, require_starttls=True, auth_require_tls=True)
else:
    kwargs.update(auth_require_tls=False)

controller = Controller(Recorder(), **kwargs)
controller.start()
print(f"port {controller.port}", flush=True)
sys.stdin.read()
controller.stop()
