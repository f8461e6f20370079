// The public map: open public reports with a point (peta.geojson) over the regency's
// village outlines (balai/basemap.js): no tiles from the internet.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L || !window.balaiBasemap) return;
  var map = window.balaiBasemap(el).map;
  el.balaiMap = map;
  fetch(el.dataset.geojson).then(function (r) { return r.json(); }).then(function (data) {
    L.geoJSON(data, {
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        var link = document.createElement("a");
        link.href = p.url;
        link.textContent = p.category + " · " + p.status;  // text, never HTML
        layer.bindPopup(link);
      },
    }).addTo(map);
  });
})();
