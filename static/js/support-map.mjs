// Adds the search results to the folium-built Leaflet map: clustered, keyboard-reachable
// markers named after each service. The list on the page shows the same results, so the map
// is an extra, never the only way in. When map tiles fail to load the markers still show.
const container = document.querySelector(".engage-map[data-map-id]");

function markerFor(L, urlTemplate, [id, lat, lon, name]) {
  const url = urlTemplate.replace("{id}", id);
  const marker = L.marker([lat, lon], { title: name, alt: name, keyboard: true });
  const link = document.createElement("a");
  link.href = url;
  link.className = "govuk-link";
  link.textContent = name;
  marker.bindPopup(link);
  marker.on("keypress", (event) => {
    if (event.originalEvent.key === "Enter") window.location.assign(url);
  });
  return marker;
}

function clusterIcon(L, text) {
  return (cluster) => {
    const count = cluster.getChildCount();
    const icon = L.divIcon({
      html: `<div><span>${count}</span></div>`,
      className: "marker-cluster marker-cluster-medium",
      iconSize: L.point(40, 40),
    });
    cluster.options.title = text.replace("{n}", count);
    return icon;
  };
}

function offerSearchThisArea(L, map) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary engage-map__search-area";
  button.textContent = container.dataset.searchAreaText;
  button.hidden = true;
  container.append(button);
  map.on("moveend", () => { button.hidden = false; });
  button.addEventListener("click", () => {
    const b = map.getBounds();
    const params = new URLSearchParams(window.location.search);
    params.delete("q");
    params.delete("page");
    params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
      .map((n) => n.toFixed(5)).join(","));
    window.location.assign(`${window.location.pathname}?${params}`);
  });
}

// Cells of the server's grid (many services in one place on the map): a button named after
// how many services it holds; choosing it (click, or Enter from the keyboard) zooms in.
function cellFor(L, map, text, [lat, lon, count]) {
  const name = text.replace("{n}", count);
  const icon = L.divIcon({
    html: `<div><span aria-hidden="true">${count}</span><span class="govuk-visually-hidden">${name}</span></div>`,
    className: "marker-cluster marker-cluster-medium",
    iconSize: L.point(40, 40),
  });
  const cell = L.marker([lat, lon], { icon, title: name, alt: name, keyboard: true });
  const zoomIn = () => map.setView([lat, lon], Math.min(map.getZoom() + 2, 18));
  cell.on("click", zoomIn);
  cell.on("keypress", (event) => {
    if (event.originalEvent.key === "Enter" || event.originalEvent.key === " ") zoomIn();
  });
  return cell;
}

async function fetchMarkers(params) {
  const url = new URL(container.dataset.resultsUrl, window.location.href);
  Object.entries(params).forEach(([key, value]) => url.searchParams.set(key, value));
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  return response.ok ? response.json() : null;
}

function viewParams(map) {
  const b = map.getBounds();
  const view = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => n.toFixed(5));
  return { view: view.join(","), zoom: String(map.getZoom()) };
}

async function showResults() {
  const L = window.L;
  const map = window[container.dataset.mapId];
  if (!L || !map) return;
  // Exactly the page's preloaded address, so the answer is already on its way: cells for a
  // map of the usual size, asked again below if this map's zoom turns out different.
  const first = await fetchMarkers({});
  if (!first) {
    container.dataset.markers = "0"; // nothing came: the list on the page still has them all
    return;
  }
  const layer = L.layerGroup().addTo(map);
  const draw = (data) => {
    layer.clearLayers();
    const clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon(L, container.dataset.clusterText),
    });
    clusters.addLayers(data.services.map((row) => markerFor(L, data.url, row)));
    layer.addLayer(clusters);
    data.cells.forEach((row) => layer.addLayer(cellFor(L, map, container.dataset.clusterText, row)));
    const shown = data.cells.reduce((sum, [, , count]) => sum + count, data.services.length);
    container.dataset.markers = String(shown);
  };
  if (first.extent) {
    const [west, south, east, north] = first.extent;
    map.fitBounds([[south, west], [north, east]], { maxZoom: 15, padding: [20, 20], animate: false });
  }
  draw(first);
  if (Number.isInteger(first.zoom)) {
    // Many services: the server groups them for what is in view, so ask again as it moves.
    let asked = 0;
    const refresh = async () => {
      const mine = ++asked;
      const data = await fetchMarkers(viewParams(map));
      if (data && mine === asked) draw(data);
    };
    map.on("moveend", refresh);
    if (map.getZoom() !== first.zoom) refresh(); // shown already; finer or coarser follows
  }
  if (document.querySelector(".engage-filters")) offerSearchThisArea(L, map);
}

function offerMyLocation() {
  const button = document.querySelector(".engage-use-location");
  const input = document.querySelector("#q");
  if (!button || !input || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition(
      (position) => {
        input.value = `${position.coords.latitude.toFixed(4)},${position.coords.longitude.toFixed(4)}`;
        input.form.submit();
      },
      () => { button.insertAdjacentText("afterend", button.dataset.errorText); },
    );
  });
}

// "Show filters" is closed on a phone so the results come first; from tablet width, where the
// form has a column of its own, it starts open. Its summary says what clicking it will do.
function filtersFitTheScreen() {
  const details = document.querySelector(".engage-search__filters");
  if (!details) return;
  const label = details.querySelector(".govuk-details__summary-text");
  const name = () => {
    label.textContent = details.open ? details.dataset.hideText : details.dataset.showText;
  };
  if (window.matchMedia("(min-width: 40.0625em)").matches) details.open = true;
  details.addEventListener("toggle", name);
  name();
}

if (container) showResults();
offerMyLocation();
filtersFitTheScreen();
