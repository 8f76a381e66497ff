"""Finding a place from what someone types: a town or village, a postcode district (NN14) or a
full postcode. Unknown names get "did you mean" suggestions. No Flask here."""

import csv
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
COORDINATES = re.compile(r"^(-?\d{1,2}\.\d+)\s*,\s*(-?\d{1,3}\.\d+)$")


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    kind: str  # town | village | suburb | district | postcode | coordinates


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


class Gazetteer:
    def __init__(
        self,
        places: list[Place],
        districts: list[Place],
        postcode_lookup: Callable[[str], tuple[float, float] | None] = lambda _: None,
    ) -> None:
        self.by_key = {_key(p.name): p for p in places}
        self.districts = {d.name: d for d in districts}
        self.postcode_lookup = postcode_lookup

    @classmethod
    def from_files(cls, places_csv: Path, districts_csv: Path, postcode_lookup=None) -> "Gazetteer":
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
        return cls(places, districts, postcode_lookup or (lambda _: None))

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
        if DISTRICT.match(upper) and any(ch.isdigit() for ch in upper):
            return self.districts.get(upper) or PlaceNotFound(text, reason="invalid_postcode")
        place = self.by_key.get(_key(text))
        if place:
            return place
        return PlaceNotFound(text, self.suggest(text))

    def _postcode(self, postcode: str) -> Place | PlaceNotFound:
        found = self.postcode_lookup(postcode.replace(" ", ""))
        if found:
            return Place(postcode, found[0], found[1], "postcode")
        district = self.districts.get(postcode.split()[0])
        if district:  # the full postcode is not imported: its district is near enough
            return Place(
                f"{postcode} ({district.name})", district.latitude, district.longitude, "district"
            )
        return PlaceNotFound(postcode, reason="invalid_postcode")

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        keys = difflib.get_close_matches(_key(text), self.by_key, n=limit, cutoff=0.7)
        return [self.by_key[key].name for key in keys]

    def names(self) -> list[str]:
        return sorted(place.name for place in self.by_key.values())
