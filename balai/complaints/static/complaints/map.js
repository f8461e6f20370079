// The public map: open public reports with a point, from peta.geojson.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var map = L.map(el).setView([-8.13, 113.22], 10);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 18,
    attribution: "&copy; OpenStreetMap",
  }).addTo(map);
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
