"""The open Open Referral UK 3.0 API at /api/v1: parameters, queries, views, description."""

from engage.asset_map.api.views import bp

__all__ = ["bp"]
