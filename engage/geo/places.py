"""Finding a place from what someone types: a town or village, with or without its council or
old district ("Rothwell", "Rothwell, North Northamptonshire", "Rothwell, Kettering"), a postcode
district (NN14), a postcode sector (NN14 6) or a full postcode. Unknown names get "did you mean"
suggestions. Every place found knows the named place nearest to it, so a postcode reads as
"NN14 6AB, Rothwell". No Flask here: postcode data comes through the lookups it is given."""

import csv
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from engage.geo.geometry import haversine_m

FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
SECTOR = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d)$")
COORDINATES = re.compile(r"^(-?\d{1,2}\.\d+)\s*,\s*(-?\d{1,3}\.\d+)$")
NAMED_KINDS = ("town", "village", "suburb")
COUNTY_NAMES = ("northamptonshire", "northants")
NEAREST_WITHIN_M = 10_000  # a postcode further than this from every named place is named alone


@dataclass(frozen=True)
class Place:
    """`kind` is town | village | suburb (named places) or district | sector | postcode |
    coordinates. A named place has its council and the district it was in before 2021
    ("Kettering"); any other has `near`, the named place nearest it. `approximate` says the
    point is that of a larger area (`stands_for`: a sector or district) than what was typed.
    `area_codes` are the ward and LSOAs the postcode directory puts a full postcode in."""

    name: str
    latitude: float
    longitude: float
    kind: str
    council: str = ""
    district: str = ""
    description: str = ""  # a postcode district's, in words ("Rothwell, Desborough…")
    near: "Place | None" = None
    approximate: bool = False
    stands_for: str = ""
    area_codes: tuple[str, ...] = ()

    @property
    def named(self) -> bool:
        return self.kind in NAMED_KINDS

    @property
    def label(self) -> str:
        """As people say it: "Rothwell, North Northamptonshire", "Kingsthorpe, Northampton",
        "NN14 6AB, Rothwell, North Northamptonshire". Coordinates are left for the caller to
        word ("your location")."""
        if self.named:
            where = self.district if self.kind == "suburb" and self.district else self.council
            return f"{self.name}, {where}" if where else self.name
        if self.kind == "coordinates":
            return self.near.label if self.near else self.name
        if self.kind != "district" and self.near:
            return f"{self.name}, {self.near.label}"
        if self.description:
            return f"{self.name} ({self.description})"
        return self.name


@dataclass(frozen=True)
class Point:
    """What a postcode lookup returns."""

    latitude: float
    longitude: float
    area_codes: tuple[str, ...] = ()


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
    """ "King's Cliffe", "kings cliffe" and "KINGS-CLIFFE" are one key; so are "&" and "and"."""
    text = re.sub(r"['’`]", "", name.lower()).replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _short(key: str) -> str:
    return key.replace("northamptonshire", "northants")


Lookup = Callable[[str], Point | None]


def _nothing(_: str) -> None:
    return None


class Gazetteer:
    """`postcode_lookup` takes a postcode without its space ("NN146AB"); `area_lookup` a
    sector ("NN14 6") or a district ("NN14"); each gives a Point or None. Districts in
    `districts` are used when the imported postcodes have none."""

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
                Place(
                    row["name"],
                    float(row["lat"]),
                    float(row["lon"]),
                    row["kind"],
                    council=row.get("council") or "",
                    district=row.get("district") or "",
                )
                for row in csv.DictReader(handle)
            ]
        with districts_csv.open(newline="", encoding="utf-8") as handle:
            districts = [
                Place(
                    row["district"],
                    float(row["lat"]),
                    float(row["lon"]),
                    "district",
                    description=row.get("name") or "",
                )
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
            return Place(
                f"{lat:.4f},{lon:.4f}", lat, lon, "coordinates", near=self.nearest(lat, lon)
            )
        upper = text.upper()
        postcode = normalise_postcode(upper)
        if postcode:
            return self._postcode(postcode)
        if DISTRICT.match(upper):
            return self._district(upper) or PlaceNotFound(text, reason="invalid_postcode")
        sector = SECTOR.match(upper)
        if sector:
            return self._sector(sector.group(1), sector.group(2))
        return self.named(text) or PlaceNotFound(text, self.suggest(text))

    def named(self, text: str) -> Place | None:
        """A town, village or suburb by its name, or its name and where it is: its council,
        its district before 2021 or the county ("Rothwell, Kettering", "Rothwell Northants")."""
        key = _key(text)
        if key in self.by_key:
            return self.by_key[key]
        words = key.split()
        for cut in range(len(words) - 1, 0, -1):
            place = self.by_key.get(" ".join(words[:cut]))
            qualifier = " ".join(words[cut:]).removeprefix("near ")
            if place and _short(qualifier) in _qualifiers(place):
                return place
        return None

    def _district(self, district: str) -> Place | None:
        found = self.area_lookup(district)
        listed = self.districts.get(district)
        description = listed.description if listed else ""
        if found:
            return Place(
                district,
                found.latitude,
                found.longitude,
                "district",
                description=description,
                near=self.nearest(found.latitude, found.longitude),
            )
        return listed

    def _sector(self, district: str, digit: str) -> Place | PlaceNotFound:
        sector = f"{district} {digit}"
        found = self.area_lookup(sector)
        if found:
            near = self.nearest(found.latitude, found.longitude)
            return Place(sector, found.latitude, found.longitude, "sector", near=near)
        return self._near(sector, district)

    def _postcode(self, postcode: str) -> Place | PlaceNotFound:
        found = self.postcode_lookup(postcode.replace(" ", ""))
        if found:
            near = self.nearest(found.latitude, found.longitude)
            return Place(
                postcode,
                found.latitude,
                found.longitude,
                "postcode",
                near=near,
                area_codes=found.area_codes,
            )
        outward, inward = postcode.split()
        sector = self.area_lookup(f"{outward} {inward[0]}")
        if sector:  # a postcode newer than the imported ones: its sector is near enough
            near = self.nearest(sector.latitude, sector.longitude)
            return Place(
                postcode,
                sector.latitude,
                sector.longitude,
                "sector",
                near=near,
                approximate=True,
                stands_for=f"{outward} {inward[0]}",
            )
        return self._near(postcode, outward)

    def _near(self, text: str, district_code: str) -> Place | PlaceNotFound:
        """A sector or postcode we hold nothing for, placed at the middle of its district."""
        district = self._district(district_code)
        if district:
            return replace(district, name=text, approximate=True, stands_for=district.name)
        return PlaceNotFound(text, reason="invalid_postcode")

    def nearest(self, lat: float, lon: float) -> Place | None:
        """The town, village or suburb nearest a point, if one is near enough to name it by."""
        best = min(
            self.by_key.values(),
            key=lambda p: haversine_m(lat, lon, p.latitude, p.longitude),
            default=None,
        )
        if best and haversine_m(lat, lon, best.latitude, best.longitude) <= NEAREST_WITHIN_M:
            return best
        return None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """ "Did you mean": names like what was typed, or like its first part before a comma
        ("Rothwel, Kettering"), as people say them."""
        keys: list[str] = []
        for candidate in dict.fromkeys([_key(text), _key(text.split(",")[0])]):
            keys += difflib.get_close_matches(candidate, self.by_key, n=limit, cutoff=0.7)
        return [self.by_key[key].label for key in dict.fromkeys(keys)][:limit]

    def names(self) -> list[str]:
        return sorted(place.name for place in self.by_key.values())


def _qualifiers(place: Place) -> set[str]:
    """How people say where a place is: its council, its old district, the county."""
    said = {_short(_key(place.council)), _short(_key(place.district)), *COUNTY_NAMES}
    return said - {""}
