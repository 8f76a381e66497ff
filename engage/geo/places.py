"""Finding a place from what someone types: a town or village, a postcode district (NN14), a
postcode sector (NN14 6) or a full postcode. Unknown names get "did you mean" suggestions.
No Flask here: postcode data comes through the lookups the gazetteer is given."""

import csv
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
SECTOR = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d)$")
COORDINATES = re.compile(r"^(-?\d{1,2}\.\d+)\s*,\s*(-?\d{1,3}\.\d+)$")


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    kind: str  # town | village | suburb | district | sector | postcode | coordinates


@dataclass(frozen=True)
class PlaceNotFound:
    query: str
    suggestions: list[str] = field(default_factory=list)
    reason: str = "unknown"  # unknown | invalid_postcode


def normalise_postcode(text: str) -> str | None:
    """`nn14 6ab` → `NN14 6AB`; None when it is not shaped like a UK postcode."""
    match = FULL_POSTCODE.match(text.strip().upper().replace("  ", " "))
    return f"{match.group(1)} {match.group(2)}" if match else None


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


Lookup = Callable[[str], tuple[float, float] | None]


def _nothing(_: str) -> None:
    return None


class Gazetteer:
    """`postcode_lookup` takes a postcode without its space ("NN146AB"); `area_lookup` a
    sector ("NN14 6") or a district ("NN14"); each gives (latitude, longitude) or None.
    Districts in `districts` are used when the imported postcodes have none."""

    def __init__(
        self,
        places: list[Place],
        districts: list[Place],
        postcode_lookup: Lookup = _nothing,
        area_lookup: Lookup = _nothing,
    ) -> None:
        self.by_key = {_key(p.name): p for p in places}
        self.districts = {d.name: d for d in districts}
        self.postcode_lookup = postcode_lookup
        self.area_lookup = area_lookup

    @classmethod
    def from_files(
        cls,
        places_csv: Path,
        districts_csv: Path,
        postcode_lookup: Lookup | None = None,
        area_lookup: Lookup | None = None,
    ) -> "Gazetteer":
        with places_csv.open(newline="", encoding="utf-8") as handle:
            places = [
                Place(row["name"], float(row["lat"]), float(row["lon"]), row["kind"])
                for row in csv.DictReader(handle)
            ]
        with districts_csv.open(newline="", encoding="utf-8") as handle:
            districts = [
                Place(row["district"], float(row["lat"]), float(row["lon"]), "district")
                for row in csv.DictReader(handle)
            ]
        return cls(places, districts, postcode_lookup or _nothing, area_lookup or _nothing)

    def find(self, query: str) -> Place | PlaceNotFound:
        text = " ".join(query.split())
        if not text:
            return PlaceNotFound(query)
        coordinates = COORDINATES.match(text)
        if coordinates:  # from "use my location"
            lat, lon = float(coordinates.group(1)), float(coordinates.group(2))
            return Place(f"{lat:.4f},{lon:.4f}", lat, lon, "coordinates")
        upper = text.upper()
        postcode = normalise_postcode(upper)
        if postcode:
            return self._postcode(postcode)
        if DISTRICT.match(upper):
            return self._district(upper) or PlaceNotFound(text, reason="invalid_postcode")
        sector = SECTOR.match(upper)
        if sector:
            return self._sector(sector.group(1), sector.group(2))
        place = self.by_key.get(_key(text))
        if place:
            return place
        return PlaceNotFound(text, self.suggest(text))

    def _district(self, district: str) -> Place | None:
        found = self.area_lookup(district)
        if found:
            return Place(district, found[0], found[1], "district")
        return self.districts.get(district)

    def _sector(self, district: str, digit: str) -> Place | PlaceNotFound:
        sector = f"{district} {digit}"
        found = self.area_lookup(sector)
        if found:
            return Place(sector, found[0], found[1], "sector")
        return self._near(sector, district)

    def _postcode(self, postcode: str) -> Place | PlaceNotFound:
        found = self.postcode_lookup(postcode.replace(" ", ""))
        if found:
            return Place(postcode, found[0], found[1], "postcode")
        outward, inward = postcode.split()
        sector = self.area_lookup(f"{outward} {inward[0]}")
        if sector:  # a postcode newer than the imported ones: its sector is near enough
            return Place(f"{postcode} ({outward} {inward[0]})", sector[0], sector[1], "sector")
        return self._near(postcode, outward)

    def _near(self, text: str, district_code: str) -> Place | PlaceNotFound:
        """The district of a sector or postcode we hold nothing for, said to be the district."""
        district = self._district(district_code)
        if district:
            return Place(
                f"{text} ({district.name})", district.latitude, district.longitude, "district"
            )
        return PlaceNotFound(text, reason="invalid_postcode")

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        keys = difflib.get_close_matches(_key(text), self.by_key, n=limit, cutoff=0.7)
        return [self.by_key[key].name for key in keys]

    def names(self) -> list[str]:
        return sorted(place.name for place in self.by_key.values())
