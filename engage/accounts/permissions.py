"""The one authorisation mechanism: every endpoint is either public (listed here) or guarded."""

import functools
from collections.abc import Callable
from typing import Any

from flask import abort
from flask_login import current_user

from engage.accounts.roles import Role

# Endpoints anyone may reach without signing in. A test fails on any endpoint that is
# neither listed here nor wrapped in role_required.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "main.home",
        "main.accessibility",
        "main.privacy",
        "main.cookies",
        "main.set_language",
        "main.healthz",
        "accounts.sign_in",
        "accounts.accept_invitation",
        "accounts.request_password_reset",
        "accounts.reset_password",
        "asset_map.find_support",
        "asset_map.results_json",
        "asset_map.show_service",
        "asset_map.service_locations_json",
        "asset_map.report_problem",
        "asset_map.show_area",
        "asset_map.embed_find_support",
        "api_v1.index",
        "api_v1.openapi",
        "api_v1.list_services",
        "api_v1.show_service",
        "api_v1.list_taxonomy_terms",
        "api_v1.show_taxonomy_term",
        "api_v1.list_taxonomies",
        "api_v1.show_taxonomy",
        "api_v1.list_organizations",
        "api_v1.show_organization",
        "api_v1.list_service_at_locations",
        "api_v1.show_service_at_location",
        "api_v1.services_geojson",
        "budgeting.list_rounds",
        "budgeting.show_round",
        "budgeting.results",
        "budgeting.results_csv",
        "budgeting.results_pb",
        "have_your_say.index",
        "have_your_say.answer_question",
        "have_your_say.thanks",
        "have_your_say.session_link",
        "you_said_we_did.board",
        "you_said_we_did.feed",
        "you_said_we_did.show",
        "you_said_we_did.public_accountability",
        "you_said_we_did.my_feedback",
        "you_said_we_did.unsubscribe",
        "you_said_we_did.react",
        "you_said_we_did.follow",
        "you_said_we_did.confirm_follow",
        "monitoring.show_project",
    }
)


def role_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let in signed-in people holding one of the roles; others are sent to sign in or get 403."""
    allowed = frozenset(roles)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from engage.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


def has_role(user: Any, *roles: Role) -> bool:
    return bool(user.is_authenticated and user.role in roles)
