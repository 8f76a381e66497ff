"""Ways a rendered message leaves the machine: SMTP, or printing it in development."""

import contextlib
import smtplib
import sys
from email.message import Message
from typing import Any, Protocol, TextIO


class Transport(Protocol):
    def send(self, message: Message) -> None: ...

    def close(self) -> None: ...


class SMTPTransport:
    """Keeps one SMTP connection open for a batch; a failed send drops it so the next send
    starts afresh."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
        smtp = smtp_class(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30)
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        return smtp

    def send(self, message: Message) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise  # the connection is still good; only this message failed
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None


class ConsoleTransport:
    """Development only: prints each message instead of sending it."""

    def __init__(self, stream: TextIO = sys.stdout) -> None:
        self.stream = stream

    def send(self, message: Message) -> None:
        text = message.as_bytes().decode("utf-8", "replace")
        self.stream.write(f"{'-' * 70}\n{text}\n")

    def close(self) -> None:
        self.stream.flush()


def transport_from_config(config: dict[str, Any]) -> Transport:
    if config.get("MAIL_SERVER"):
        return SMTPTransport(config)
    return ConsoleTransport()
