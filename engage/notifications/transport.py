"""Ways a rendered message leaves the machine: SMTP, or printing it in development."""

import smtplib
import sys
from email.message import EmailMessage
from typing import Any, Protocol, TextIO


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class SMTPTransport:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def send(self, message: EmailMessage) -> None:
        cfg = self.config
        smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
        with smtp_class(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30) as smtp:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(message)


class ConsoleTransport:
    """Development only: prints each message instead of sending it."""

    def __init__(self, stream: TextIO = sys.stdout) -> None:
        self.stream = stream

    def send(self, message: EmailMessage) -> None:
        self.stream.write(f"{'-' * 70}\n{message.as_string()}\n")


def transport_from_config(config: dict[str, Any]) -> Transport:
    if config.get("MAIL_SERVER"):
        return SMTPTransport(config)
    return ConsoleTransport()
