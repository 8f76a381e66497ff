"""Charts drawn on the server as SVG, so they print and need no JavaScript. Each chart has a
title and description for screen readers, and the page always shows the same figures as a
table too. Plain Python, no Flask: labels come in already translated."""

from dataclasses import dataclass
from html import escape

BAR, GAP, LABEL_WIDTH, WIDTH = 22, 8, 220, 640
COLOURS = ("#1d70b8", "#f47738")  # GOV.UK blue and orange: distinct for most colour vision


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[float, ...]  # one per series


def _number(value: float, percent: bool) -> str:
    return f"{value:.0f}%" if percent else f"{value:,.0f}"


def bar_chart(
    title: str,
    bars: list[Bar],
    series: tuple[str, ...] = (),
    percent: bool = False,
    description: str = "",
) -> str:
    """Horizontal bars, one row per label, one bar per series, with a legend when there are
    two series. Returns SVG markup with every label escaped."""
    rows = max(len(bars), 1)
    per_row = BAR * max(len(series), 1) + GAP
    legend = 28 if len(series) > 1 else 0
    height = rows * per_row + legend + 10
    top = max((v for bar in bars for v in bar.values), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - 70) / top
    parts = [
        f'<svg class="engage-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{_id(title)}-t {_id(title)}-d">',
        f'<title id="{_id(title)}-t">{escape(title)}</title>',
        f'<desc id="{_id(title)}-d">{escape(description or title)}</desc>',
    ]
    for n, name in enumerate(series if len(series) > 1 else ()):
        x = LABEL_WIDTH + n * 200
        parts.append(f'<rect x="{x}" y="4" width="14" height="14" fill="{COLOURS[n % 2]}"/>')
        parts.append(f'<text x="{x + 20}" y="16" font-size="14">{escape(name)}</text>')
    for row, bar in enumerate(bars):
        y = legend + row * per_row
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR * len(bar.values) / 2 + 5:.0f}" '
            f'font-size="14" text-anchor="end">{escape(bar.label[:32])}</text>'
        )
        for n, value in enumerate(bar.values):
            width = max(value * scale, 0)
            top_y = y + n * BAR
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{top_y}" width="{width:.1f}" height="{BAR - 4}" '
                f'fill="{COLOURS[n % 2]}"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{top_y + BAR - 9}" '
                f'font-size="13">{_number(value, percent)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _id(title: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in title.lower())[:40]


# Shaded maps, drawn as SVG (no tiles, no script), for the report and its PDF

SHADES = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")  # as engage.asset_map.map
MAP_WIDTH, MAP_HEIGHT = 420, 360


@dataclass(frozen=True)
class Shape:
    label: str  # the area's name and value, in words (each shape's title)
    geometry: dict  # GeoJSON Polygon or MultiPolygon, longitude and latitude
    value: float | None


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _projector(shapes: list[Shape]):
    """Longitude and latitude to the picture, east stretched by cos(latitude) so areas keep
    their shape."""
    import math

    points = [p for s in shapes for ring in _rings(s.geometry) for p in ring]
    if not points:
        return lambda lon, lat: (0.0, 0.0)
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    stretch = math.cos(math.radians((south + north) / 2))
    width, height = max((east - west) * stretch, 1e-9), max(north - south, 1e-9)
    scale = min((MAP_WIDTH - 20) / width, (MAP_HEIGHT - 60) / height)
    return lambda lon, lat: (10 + (lon - west) * stretch * scale, 10 + (north - lat) * scale)


def shaded_map(title: str, shapes: list[Shape], description: str = "", legend: str = "") -> str:
    """Areas shaded in five steps from the lowest value to the highest (grey: no value), with
    a legend; every area is named in its own title."""
    project = _projector(shapes)
    values = [s.value for s in shapes if s.value is not None]
    low, high = min(values, default=0.0), max(values, default=1.0)
    span = (high - low) or 1.0
    parts = [
        f'<svg class="engage-chart engage-map-svg" role="img" '
        f'viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-labelledby="{_id(title)}-t {_id(title)}-d">',
        f'<title id="{_id(title)}-t">{escape(title)}</title>',
        f'<desc id="{_id(title)}-d">{escape(description or title)}</desc>',
    ]
    for s in shapes:
        step = None if s.value is None else min(int((s.value - low) / span * 5), 4)
        fill = "#b1b4b6" if step is None else SHADES[step]
        path = " ".join(
            "M"
            + " L".join("{:.1f},{:.1f}".format(*project(lon, lat)) for lon, lat, *_ in ring)
            + " Z"
            for ring in _rings(s.geometry)
        )
        parts.append(
            f'<path d="{path}" fill="{fill}" stroke="#0b0c0c" stroke-width="0.6">'
            f"<title>{escape(s.label)}</title></path>"
        )
    y = MAP_HEIGHT - 30
    parts.append(f'<text x="10" y="{y - 6}" font-size="12">{escape(legend)}</text>')
    for n, colour in enumerate(SHADES):
        parts.append(
            f'<rect x="{10 + n * 40}" y="{y}" width="40" height="14" fill="{colour}" '
            f'stroke="#0b0c0c" stroke-width="0.3"/>'
        )
    parts.append(f'<text x="10" y="{y + 28}" font-size="11">{low:,.1f}</text>')
    parts.append(f'<text x="210" y="{y + 28}" font-size="11" text-anchor="end">{high:,.1f}</text>')
    parts.append("</svg>")
    return "".join(parts)


# Split bars: each bar is one whole (a pot, a project's cost) cut into its parts. Drawn narrow
# (the labels above the bars, not beside them) so that it reads on a 320px phone and in print.
SPLIT_WIDTH, SPLIT_ROW, SPLIT_BAR = 360, 52, 22
SPLIT_COLOURS = ("#1d70b8", "#003078", "#00703c", "#ffffff")  # the last: an empty part
SPLIT_LABEL = 46  # characters of a label that fit on one line of the drawing


@dataclass(frozen=True)
class Part:
    value: float
    colour: int  # index into SPLIT_COLOURS
    mark: str = ""  # a short text drawn inside the part when it fits


@dataclass(frozen=True)
class SplitBar:
    label: str
    total: float
    parts: tuple[Part, ...]


def _short(label: str) -> str:
    return label if len(label) <= SPLIT_LABEL else label[: SPLIT_LABEL - 1] + "…"


def _split_row(bar: SplitBar, top: int) -> list[str]:
    parts = [f'<text x="0" y="{top + 14}" font-size="14">{escape(_short(bar.label))}</text>']
    y, x, scale = top + 20, 0.0, SPLIT_WIDTH / (bar.total or 1)
    for part in bar.parts:
        width = max(part.value * scale, 0)
        parts.append(
            f'<rect x="{x:.2f}" y="{y}" width="{width:.2f}" height="{SPLIT_BAR}" '
            f'fill="{SPLIT_COLOURS[part.colour]}" stroke="#ffffff" stroke-width="1"/>'
        )
        if part.mark and width >= 9 * len(part.mark) + 4:
            parts.append(
                f'<text x="{x + width / 2:.2f}" y="{y + 16}" font-size="13" fill="#ffffff" '
                f'text-anchor="middle">{escape(part.mark)}</text>'
            )
        x += width
    parts.append(
        f'<rect x="0.5" y="{y + 0.5}" width="{SPLIT_WIDTH - 1}" height="{SPLIT_BAR - 1}" '
        f'fill="none" stroke="#0b0c0c" stroke-width="1"/>'
    )
    return parts


def split_bars(
    title: str,
    bars: list[SplitBar],
    legend: tuple[tuple[str, int], ...] = (),
    description: str = "",
) -> str:
    """One bar per row, each as wide as the drawing whatever its total, cut into its parts;
    a legend (text, colour) above. Returns SVG markup with every label escaped."""
    top = 22 * len(legend)
    height = top + SPLIT_ROW * max(len(bars), 1)
    parts = [
        f'<svg class="engage-chart engage-chart--split" role="img" '
        f'viewBox="0 0 {SPLIT_WIDTH} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-labelledby="{_id(title)}-t {_id(title)}-d">',
        f'<title id="{_id(title)}-t">{escape(title)}</title>',
        f'<desc id="{_id(title)}-d">{escape(description or title)}</desc>',
    ]
    for n, (text, colour) in enumerate(legend):
        parts.append(
            f'<rect x="0" y="{n * 22 + 3}" width="14" height="14" '
            f'fill="{SPLIT_COLOURS[colour]}" stroke="#0b0c0c" stroke-width="1"/>'
        )
        parts.append(f'<text x="20" y="{n * 22 + 15}" font-size="14">{escape(text)}</text>')
    for row, bar in enumerate(bars):
        parts.extend(_split_row(bar, top + row * SPLIT_ROW))
    parts.append("</svg>")
    return "".join(parts)
