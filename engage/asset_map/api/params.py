"""Every query parameter the open API takes, declared once, with the meaning Open Referral UK
gives it. A parameter we do not know or cannot honour is refused, never silently ignored."""

from datetime import UTC, datetime, time
from typing import Annotated, Any, TypeVar

from flask_babel import gettext as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails
from werkzeug.datastructures import MultiDict

from engage.asset_map.oruk.problems import describe
from engage.asset_map.oruk.schema import within
from engage.asset_map.vocabulary import DAYS
from engage.errors import UserError

MAX_PER_PAGE = 100
# A minimal listing is meant to come in one call (the standard says so), so it pages wider.
MAX_MINIMAL_PER_PAGE = 5000
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class BadParameter(UserError):
    """A query parameter the API cannot honour; answered with a 400 problem document."""


def _day(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    cleaned = value.strip().lower()
    if cleaned in DAY_NAMES:
        return DAYS[DAY_NAMES.index(cleaned)]
    return cleaned.upper()


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


Identifier = Annotated[str, *within(200, 1)]
SearchWords = Annotated[str, *within(200)]


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, str_strip_whitespace=True)


class Paging(Params):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    per_page: int = Field(
        20, ge=1, le=MAX_PER_PAGE, description="Results a page (up to 100; 5,000 with minimal)."
    )


class ServiceFilters(Paging):
    search: SearchWords | None = Field(None, description="Words in the name or description.")
    taxonomy_term_id: Identifier | None = Field(None, description="Tagged with this term.")
    taxonomy_id: Identifier | None = Field(None, description="Tagged with a term of this taxonomy.")
    organization_id: Identifier | None = Field(None, description="Run by this organisation.")
    modified_after: datetime | None = Field(None, description="Changed on or after this time.")
    postcode: Annotated[str, *within(10)] | None = Field(
        None,
        description="A full postcode or a district (NN14). Only services whose service area "
        "holds it, nearest first; with proximity, only those within that distance of it.",
    )
    proximity: int | None = Field(None, ge=1, le=200_000, description="Metres from the postcode.")
    minimum_age: float | None = Field(
        None, ge=0, le=150, description="Services whose minimum age is at least this."
    )
    maximum_age: float | None = Field(
        None, ge=0, le=150, description="Services whose maximum age is at most this."
    )
    day: Annotated[str, BeforeValidator(_day), Field(pattern="^(MO|TU|WE|TH|FR|SA|SU)$")] | None = (
        Field(None, description="Runs on this day: MO…SU (or monday…sunday).")
    )
    start_time: time | None = Field(None, description="Opens at or after this time (HH:MM).")
    end_time: time | None = Field(None, description="Closes at or before this time (HH:MM).")

    @model_validator(mode="after")
    def _together(self) -> "ServiceFilters":
        if self.proximity is not None and not self.postcode:
            raise ValueError("proximity")
        if self.modified_after is not None:
            self.modified_after = _utc(self.modified_after)
        return self


class ServiceQuery(ServiceFilters):
    per_page: int = Field(20, ge=1, le=MAX_MINIMAL_PER_PAGE)
    minimal: bool = Field(False, description="Only each service's id, name, status and date.")
    full: bool = Field(False, description="Each service fully nested, as /services/{id}.")

    @model_validator(mode="after")
    def _one_shape(self) -> "ServiceQuery":
        if self.minimal and self.full:
            raise ValueError("shape")
        if not self.minimal and self.per_page > MAX_PER_PAGE:
            raise ValueError("per_page")
        return self


class OrganizationQuery(Paging):
    search: SearchWords | None = Field(None, description="Words in the name or description.")


class OrganizationDetailQuery(Params):
    full_service: bool = Field(False, description="Each of its services fully nested.")


class TaxonomyTermQuery(Paging):
    taxonomy_id: Identifier | None = Field(None, description="Terms of this taxonomy only.")


class MapQuery(Params):
    bbox: Annotated[str, *within(200)] = Field(description="min_lon,min_lat,max_lon,max_lat")
    taxonomy_term_id: Identifier | None = None
    search: SearchWords | None = None

    @model_validator(mode="after")
    def _box(self) -> "MapQuery":
        self.box()
        return self

    def box(self) -> tuple[float, float, float, float]:
        try:
            min_lon, min_lat, max_lon, max_lat = (float(x) for x in self.bbox.split(","))
        except ValueError:
            raise ValueError("bbox") from None
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise ValueError("bbox")
        return min_lon, min_lat, max_lon, max_lat


class NoParams(Params):
    pass


P = TypeVar("P", bound=Params)


def _whole(error: ErrorDetails) -> str:
    detail = str((error.get("ctx") or {}).get("error", ""))
    return {
        "proximity": _("proximity needs a postcode to measure from"),
        "shape": _("ask for minimal or full, not both"),
        "per_page": _("per_page: use 100 or less (up to 5,000 with minimal=true)"),
        "bbox": _("bbox must be min_lon,min_lat,max_lon,max_lat"),
    }.get(detail, _("these parameters cannot be used together"))


def parse(model: type[P], args: MultiDict) -> P:
    """The query string as `model`, or BadParameter saying what is wrong and where."""
    values: dict[str, Any] = {}
    for name, given in args.lists():
        if len(given) > 1:
            raise BadParameter(_("%(name)s: give it once", name=name), name)
        values[name] = given[0]
    try:
        return model.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else ""
        if first["type"] == "extra_forbidden":
            known = ", ".join(sorted(model.model_fields))
            message = _(
                "%(name)s is not a parameter here (these are: %(known)s)", name=name, known=known
            )
            raise BadParameter(message, name) from None
        if not name:
            raise BadParameter(_whole(first)) from None
        raise BadParameter(f"{name}: {describe(first)}", name) from None
