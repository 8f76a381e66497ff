"""Areas: Local Area Partnerships, wards and LSOAs, with their boundaries and figures."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

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

    parent: Mapped["Area | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Area"]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.level}>"
