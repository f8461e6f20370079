// Maps drawn from Balai's own data: the regency's village outlines (served by Balai,
// regions/views.py) are the base layer, so a map draws with no tiles from the
// internet; Leaflet's marker comes from Balai's static files (the paths Leaflet
// guesses from its CSS break once the file names carry hashes). The element's data-
// attributes come from regions/basemap.html. The map shows the whole regency once
// the outlines arrive, unless fit is false (the caller places the view). Returns
// {map, ready}: ready resolves to the outlines' layer once drawn.
window.balaiBasemap = function (el, fit) {
  var d = el.dataset;
  L.Marker.prototype.options.icon = L.icon({
    iconUrl: d.icon,
    iconRetinaUrl: d.icon2x,
    shadowUrl: d.shadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    tooltipAnchor: [16, -28],
    shadowSize: [41, 41],
  });
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.5 });
  if (fit !== false) map.setView([-2.5, 118], 4);  // Indonesia, until the outlines arrive
  var credit = document.createElement("a");
  credit.href = d.creditUrl;
  credit.textContent = d.credit;  // text, never HTML
  L.control.attribution({ prefix: false }).addAttribution(credit.outerHTML).addTo(map);
  var ready = fetch(d.boundaries)
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: { color: "#6b6b67", weight: 1, fillColor: "#f4f4f2", fillOpacity: 1 },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(feature.properties.name, { sticky: true });  // text
        },
      }).addTo(map);
      if (fit !== false && data.features.length) map.fitBounds(layer.getBounds());
      return layer;
    });
  return { map: map, ready: ready };
};
