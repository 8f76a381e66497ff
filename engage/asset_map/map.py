"""Maps built with folium (Leaflet underneath). Only folium's map element and script are used:
its page header, which names CDN addresses, is dropped; Leaflet and the clustering plugin are
served from our own static/ build. Markers are added by static/js/support-map.mjs from the
same results the list shows, so the page stays small however many services match."""

import json
from dataclasses import dataclass
from typing import Any

import folium
from markupsafe import Markup

COUNTY_CENTRE = (52.30, -0.85)


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
) -> folium.Map:
    """A Leaflet map with the configured tiles; it still works (without a background) when
    tiles cannot load."""
    folium_map = folium.Map(location=list(centre), zoom_start=zoom, tiles=None, control_scale=True)
    folium.TileLayer(tiles=tile_url, attr=attribution, name="tiles", max_zoom=19).add_to(folium_map)
    return folium_map


def parts(folium_map: folium.Map) -> MapParts:
    """The map's element and its script (to be placed in a script tag carrying the CSP nonce)."""
    root = folium_map.get_root()
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
) -> folium.Map:
    """Areas shaded by a value (e.g. need not met by provision), for officers."""
    folium_map = base_map(tile_url, attribution)
    folium.Choropleth(
        geo_data=features,
        data=values,
        key_on="feature.properties.code",
        fill_color="YlOrRd",
        fill_opacity=0.6,
        line_opacity=0.4,
        legend_name=legend,
        highlight=True,
    ).add_to(folium_map)
    return folium_map


def results_payload(hits: list[Any], url_for_service) -> str:
    """Compact JSON for the map: [id, lat, lon, name, url] for every located result."""
    rows = [
        [
            hit.service_id,
            round(hit.lat, 5),
            round(hit.lon, 5),
            hit.name,
            url_for_service(hit.service_id),
        ]
        for hit in hits
        if hit.lat is not None
    ]
    return json.dumps(
        {"total": len(hits), "located": len(rows), "services": rows}, separators=(",", ":")
    )
