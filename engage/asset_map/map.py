"""Maps built with folium (Leaflet underneath). Only folium's map element and script are used:
its page header, which names CDN addresses, is dropped; Leaflet and the clustering plugin are
served from our own static/ build. Markers are added by static/js/support-map.mjs from the
same results the list shows (see markers.py), so the page stays small however many match."""

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from engage.asset_map.markers import Markers

# folium and branca are imported by the few pages that draw a map, not by every process that
# starts the app (they took a quarter of a second of each start: a worker, a command).
if TYPE_CHECKING:
    import folium
    from branca.colormap import StepColormap

COUNTY_CENTRE = (52.30, -0.85)
SHADES = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]


@dataclass(frozen=True)
class MapParts:
    element_id: str
    html: Markup
    script: Markup


def base_map(
    tile_url: str,
    attribution: str,
    centre: tuple[float, float] = COUNTY_CENTRE,
    zoom: int = 10,
) -> "folium.Map":
    """A Leaflet map with the configured tiles; it still works (without a background) when
    tiles cannot load."""
    import folium

    folium_map = folium.Map(location=list(centre), zoom_start=zoom, tiles=None, control_scale=True)
    folium.TileLayer(tiles=tile_url, attr=attribution, name="tiles", max_zoom=19).add_to(folium_map)
    return folium_map


def parts(folium_map: "folium.Map") -> MapParts:
    """The map's element and its script (to be placed in a script tag carrying the CSP nonce)."""
    from branca.element import Figure

    root = folium_map.get_root()
    assert isinstance(root, Figure)  # a map is drawn in a figure of its own
    root.render()
    return MapParts(
        element_id=folium_map.get_name(),
        html=Markup(root.html.render()),
        script=Markup(root.script.render()),
    )


def choropleth_map(
    tile_url: str,
    attribution: str,
    features: dict[str, Any],
    values: dict[str, float],
    legend: str,
) -> "folium.Map":
    """Areas shaded by a value (e.g. need not met by provision), for officers. The colours are
    worked out here, so the page needs no charting library; the legend is on the page."""
    import folium

    folium_map = base_map(tile_url, attribution)
    if not features["features"]:
        return folium_map
    scale = shade_scale(values)

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        value = values.get(feature["properties"]["code"])
        colour = scale(value) if value is not None else "#b1b4b6"
        return {"fillColor": colour, "color": "#0b0c0c", "weight": 0.6, "fillOpacity": 0.65}

    folium.GeoJson(
        features,
        name=legend,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(folium_map)
    return folium_map


def shade_scale(values: dict[str, float]) -> "StepColormap":
    """Five steps from pale yellow to dark red across the values' range."""
    from branca.colormap import StepColormap

    low = min(values.values(), default=0.0)
    high = max(values.values(), default=1.0)
    if high <= low:
        high = low + 1
    steps = [low + (high - low) * i / 5 for i in range(6)]
    return StepColormap(SHADES, index=steps, vmin=low, vmax=high)


def markers_payload(markers: Markers, service_url_template: str) -> str:
    """The map's data for a search: cells of a grid (lat, lon, how many) and single services
    ([id, lat, lon, name]), with the URL of a service with `{id}` in it."""
    body = {
        "located": markers.located,
        "url": service_url_template,
        "zoom": markers.zoom,
        "extent": markers.extent,
        "cells": markers.cells,
        "services": markers.services,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def results_payload(hits: list[Any], service_url_template: str) -> str:
    """The map's data for a list of hits (a service's own places): each as a marker."""
    rows = [
        (hit.service_id, round(hit.lat, 5), round(hit.lon, 5), hit.name)
        for hit in hits
        if hit.lat is not None
    ]
    extent = None
    if rows:
        lats, lons = [row[1] for row in rows], [row[2] for row in rows]
        extent = (min(lons), min(lats), max(lons), max(lats))
    return markers_payload(Markers(len(rows), None, extent, [], rows), service_url_template)
