"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, on a port we pick ourselves
(aiosmtpd 1.4.6 does not accept port 0)."""
from __future__ import annotations

import socket
import ssl
from contextlib import contextmanager
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """Keeps every accepted message; answers from `replies` first (e.g. '451 …'), then 250."""

    def __init__(self, replies: list[str] | None = None, delay: float = 0):
        self.replies = list(replies or [])
        self.delay = delay
        """Seconds the server takes over each message: a slow server."""
        self.accepted: list = []
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        if self.replies:
            self.refused += 1
            return self.replies.pop(0)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.accepted.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 2.0.0 Ok: guardado"


def _auth(user: str, password: str):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() \
            and auth_data.password == password.encode()
        return AuthResult(success=ok)

    return authenticator


@contextmanager
def smtp_server(replies: list[str] | None = None, port: int | None = None, tls_cert=None, user: str | None = None,
                delay: float = 0,
                password: str | None = None):
    handler = Recorder(replies, delay)
    kwargs = {}
    if tls_cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_cert.configure_cert(context)
        kwargs.update(tls_context=context, require_starttls=True)
    if user:
        kwargs.update(authenticator=_auth(user, password or ""), auth_required=True)
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port(), **kwargs)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()
