"""Error pages people can act on, and JSON problem details for the API."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from engage.extensions import db

log = logging.getLogger("engage.errors")


class UserError(Exception):
    """Something a person asked for that cannot be done, in words they can act on. `field`
    names the form field it belongs to (None: the whole form); `line` the line of an upload.
    Every feature's errors derive from it, so a view turns any of them into the GOV.UK error
    summary the same way (`engage.forms.BaseForm.show`)."""

    def __init__(self, message: str, field: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.field, self.line = message, field, line


PAGES = {400, 403, 404, 405, 413, 429, 500}


def _titles() -> dict[int, str]:
    return {
        400: _("Sorry, there is a problem with your request"),
        403: _("You do not have permission to see this page"),
        404: _("Page not found"),
        405: _("Sorry, that action is not allowed here"),
        413: _("The file or form you sent is too large"),
        429: _("Too many attempts"),
        500: _("Sorry, there is a problem with the service"),
    }


def _advice() -> dict[int, str]:
    return {
        400: _("Go back, check what you entered and try again."),
        403: _("If you think you should have access, contact the engagement team."),
        404: _("If you typed the web address, check it is correct."),
        405: _("Go back to the previous page and try again."),
        413: _("Go back and send something smaller."),
        429: _("Wait a few minutes, then try again."),
        500: _("Try again later. Nothing you entered was saved."),
    }


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"
        and not request.accept_mimetypes.accept_html
    )


def render_error(status: int, detail: str | None = None):
    title = _titles().get(status, _titles()[500])
    if wants_json():
        body = {"type": "about:blank", "title": title, "status": status}
        if detail:
            body["detail"] = detail
        response = jsonify(body)
        response.status_code = status
        response.mimetype = "application/problem+json"
        return response
    advice = detail or _advice().get(status, "")
    return render_template("errors/error.html", title=title, advice=advice, status=status), status


def handle_http_error(error: HTTPException):
    status = error.code or 500
    log.info("%s %s -> %s", request.method, request.path, status)
    own = error.description if error.description != type(error).description else None
    return render_error(status if status in PAGES else 400 if status < 500 else 500, own)


def handle_csrf_error(error: CSRFError):
    log.warning("CSRF check failed on %s %s: %s", request.method, request.path, error.description)
    return render_error(
        400, _("The form had expired or was sent from elsewhere. Go back, reload it and try again.")
    )


def handle_server_error(error: Exception):
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return render_error(500)


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(Exception, handle_server_error)
