"""`flask responses digest`: one email per person per day about the responses to their
feedback (run daily, before `flask notifications send`)."""

import click

from engage.database import utcnow
from engage.you_said_we_did.logic import send_digests

responses_cli = click.Group("responses", help="You said, we did.")


@responses_cli.command("digest")
def digest_command() -> None:
    """Queue today's digests: at most one per person per day."""
    click.echo(f"{send_digests(utcnow().date())} digests queued")
