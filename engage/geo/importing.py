"""Importing real geography, one module per kind of file: boundaries (`boundaries`), figures
(`figures`), postcodes (`postcodes`) and groupings of wards (`groupings`)."""

from typing import BinaryIO

from engage.geo.boundaries import BoundaryImport, import_boundaries, import_boundary_file
from engage.geo.figures import load_figures
from engage.geo.groupings import import_groupings
from engage.geo.postcodes import load_postcodes

__all__ = [
    "BoundaryImport",
    "import_boundaries",
    "import_boundary_file",
    "import_figures",
    "import_groupings",
    "load_figures",
    "load_postcodes",
]


def import_figures(stream: BinaryIO, source: str = "") -> int:
    """Figures from any statistics file we recognise; returns how many values were saved."""
    return load_figures(stream, source).values
