"""Areas: Local Area Partnerships, wards and LSOAs, with their boundaries and figures; and
postcode centroids from the ONS postcode directories."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.database import utcnow
from engage.extensions import Model


class AreaLevel(StrEnum):
    """From the largest to the smallest: each area's parent is one level up."""

    LAP = "lap"
    WARD = "ward"
    LSOA = "lsoa"

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS[self])


LEVEL_LABELS = {
    AreaLevel.LAP: _l("Local Area Partnership"),
    AreaLevel.WARD: _l("ward"),
    AreaLevel.LSOA: _l("LSOA"),
}


class Area(Model):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    # ONS codes (E01…, E05…) name one boundary for good, so one row holds a code even when
    # it is in both the 2011 and the 2021 LSOAs (`editions`).
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(8), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    council: Mapped[str | None] = mapped_column(String(80))
    population: Mapped[int | None]
    population_under_25: Mapped[int | None]
    imd_decile: Mapped[int | None]
    # GeoJSON geometry in WGS84; handled with shapely in the app, no PostGIS needed.
    geometry: Mapped[str] = mapped_column(Text)
    # The years of the ONS boundary sets the code was loaded from ("2011", "2021", "2024").
    editions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A grouping an officer made from its children (a LAP from its wards): its boundary is
    # their union, drawn again whenever they change.
    from_children: Mapped[bool] = mapped_column(default=False)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Lets every worker see that its in-memory lookup index is out of date.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped["Area | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Area"]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.level}>"


class AreaFigure(Model):
    """Any figure imported by area code (e.g. a local area profile's violence rate)."""

    __tablename__ = "area_figures"
    __table_args__ = (UniqueConstraint("area_id", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(String(80))
    value: Mapped[float]
    source: Mapped[str] = mapped_column(String(200), default="")

    area: Mapped[Area] = relationship()


class Postcode(Model):
    """A full postcode's centroid and the ward and LSOAs the postcode directory puts it in,
    imported from the ONS Postcode Directory, the NSPL or Code-Point Open by an officer.
    Sector ("NN14 6") and district ("NN14") centres are the mean of their postcodes."""

    __tablename__ = "postcodes"

    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)  # no space, upper case
    latitude: Mapped[float]
    longitude: Mapped[float]
    district: Mapped[str] = mapped_column(String(4), index=True)  # "NN14"
    sector: Mapped[str] = mapped_column(String(6), index=True)  # "NN14 6"
    ward_code: Mapped[str | None] = mapped_column(String(9))
    lsoa11_code: Mapped[str | None] = mapped_column(String(9))
    lsoa21_code: Mapped[str | None] = mapped_column(String(9))
