"""A real SMTP server on loopback (aiosmtpd) for email tests."""

import socket
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


class RecordingHandler:
    """Keeps every message it accepts; refuses the first `fail_first` with a temporary error."""

    def __init__(self, fail_first: int = 0) -> None:
        self.messages: list[Message] = []
        self.fail_first = fail_first

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.fail_first > 0:
            self.fail_first -= 1
            return "451 Temporary failure, try again later"
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPServer:
    def __init__(self, fail_first: int = 0) -> None:
        self.handler = RecordingHandler(fail_first)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SMTPServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def config(self) -> dict:
        return {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": False,
            "MAIL_USE_SSL": False,
            "MAIL_USERNAME": "",
            "MAIL_PASSWORD": "",
        }
