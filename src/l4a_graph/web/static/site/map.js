// The map: Natural Earth country outlines (no tiles: they cannot be fetched offline),
// a marker per HUB with known coordinates, a line per suggested pair.
(function () {
  "use strict";
  var host = document.getElementById("map");
  if (!host || typeof L === "undefined" || typeof topojson === "undefined") {
    return; // no script support: the lists below the map say where each HUB is
  }
  var data = JSON.parse(document.getElementById("map-data").textContent);
  L.Icon.Default.imagePath = host.dataset.leafletImages;
  var map = L.map(host, { worldCopyJump: true, minZoom: 1, maxZoom: 8 }).setView([25, 10], 2);
  map.attributionControl.addAttribution("Natural Earth");
  fetch(data.outline)
    .then(function (response) { return response.json(); })
    .then(function (world) {
      var land = topojson.feature(world, world.objects.countries);
      L.geoJSON(land, {
        style: { color: "#6b7785", weight: 0.6, fillColor: "#e7ecef", fillOpacity: 1 },
        interactive: false,
      }).addTo(map).bringToBack();
    });
  data.lines.forEach(function (pair) {
    L.polyline(pair, { color: "#0b5f8a", weight: 2, opacity: 0.6, dashArray: "4 4" }).addTo(map);
  });
  data.markers.forEach(function (hub) {
    var marker = L.marker([hub.lat, hub.long], { title: hub.label, alt: hub.label });
    var link = document.createElement("a");
    link.href = hub.href;
    link.textContent = hub.label;
    marker.bindPopup(link).addTo(map);
  });
  host.dataset.markers = String(data.markers.length);
})();
