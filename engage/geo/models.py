"""Areas: Local Area Partnerships, wards and LSOAs, with their boundaries and figures."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.database import utcnow
from engage.extensions import db


class AreaLevel:
    LAP = "lap"
    WARD = "ward"
    LSOA = "lsoa"
    ALL = (LAP, WARD, LSOA)


class Area(db.Model):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
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
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Lets every worker see that its in-memory lookup index is out of date.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped["Area | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Area"]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.level}>"


class AreaFigure(db.Model):
    """Any figure imported by area code (e.g. a local area profile's violence rate)."""

    __tablename__ = "area_figures"
    __table_args__ = (UniqueConstraint("area_id", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(String(80))
    value: Mapped[float]
    source: Mapped[str] = mapped_column(String(200), default="")

    area: Mapped[Area] = relationship()


class Postcode(db.Model):
    """Full postcode centroids, imported from the ONS Postcode Directory by an officer."""

    __tablename__ = "postcodes"

    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)  # no space, upper case
    latitude: Mapped[float]
    longitude: Mapped[float]
