"""Gunicorn settings read from the project folder. Starting refuses a set-up whose workers
would not share their rate limits (see engage.config.shared_state_problem)."""

import sys


def on_starting(server):
    from engage.config import config_from_env, shared_state_problem

    settings = {name: getattr(config_from_env(), name) for name in dir(config_from_env())}
    problem = shared_state_problem(settings, server.cfg.workers)
    if problem:
        server.log.error("Engage will not start: %s", problem)
        sys.exit(1)
