// Draws the cameras of the page's JSON block (#camera-markers) on a Leaflet map,
// one circle per camera coloured by its state. The list on the page works without it.
(function () {
  "use strict";
  var wrap = document.getElementById("camera-map-wrap");
  var el = document.getElementById("camera-map");
  var data = document.getElementById("camera-markers");
  if (!wrap || !el || !data || !window.L) return;
  var markers = JSON.parse(data.textContent);
  if (!markers.length) return;
  wrap.hidden = false;  // shown before Leaflet measures it
  // The regency's village outlines as the base layer: no tiles from the internet.
  var map = window.balaiBasemap ? window.balaiBasemap(el, false).map : L.map(el);
  var bounds = [];
  markers.forEach(function (m) {
    var circle = L.circleMarker([m.lat, m.lon], {radius: 8, weight: 2, className: "cam-marker state-" + m.state});
    var popup = document.createElement(m.url ? "a" : "span");
    if (m.url) popup.href = m.url;
    popup.textContent = m.name + " · " + m.label;  // text, never HTML
    circle.bindPopup(popup).bindTooltip(m.name + " · " + m.label).addTo(map);
    bounds.push([m.lat, m.lon]);
  });
  map.fitBounds(bounds, {maxZoom: 16, padding: [20, 20]});
})();
