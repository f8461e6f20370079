// Progressive help for the report form (the form works without it: the village list
// and the latitude/longitude fields stay usable). A tap on the map, or the phone's
// location, sets the point; Balai says which village it lies in (regions' /at,
// from the loaded boundaries) and picks it in the list. Every word comes from the
// map element's data- attributes (translated by the template).
(function () {
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var village = document.getElementById("id_village");
  var button = document.getElementById("here");
  var el = document.getElementById("pick-map");
  var status = document.getElementById("pick-status");
  if (!lat || !lng || !el) return;
  var base = null;
  var marker = null;

  function say(text) {
    if (status) status.textContent = text;
  }

  function suggest(la, lo) {
    var url = el.dataset.at + "?lon=" + encodeURIComponent(lo) + "&lat=" + encodeURIComponent(la);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (place) {
        if (!place) return;
        if (place.inside_regency === false) return say(el.dataset.outside);
        var v = place.village;
        if (!v) return say(el.dataset.unknown);
        var option = village && village.querySelector('option[value="' + v.code + '"]');
        var name = v.name + ", " + el.dataset.district + " " + v.district;
        if (!option) return say(el.dataset.inactive.replace("{village}", name));
        village.value = v.code;
        say(el.dataset.chosen.replace("{village}", name));
      });
  }

  function show(la, lo, pan) {
    if (!base) return;
    if (marker) marker.setLatLng([la, lo]);
    else marker = L.marker([la, lo], { keyboard: false }).addTo(base.map);
    if (pan) base.map.setView([la, lo], Math.max(base.map.getZoom(), 14));
  }

  function place(la, lo, pan) {
    lat.value = la.toFixed(6);
    lng.value = lo.toFixed(6);
    show(la, lo, pan);
    suggest(la, lo);
  }

  function typed() {
    var la = parseFloat(lat.value.replace(",", "."));
    var lo = parseFloat(lng.value.replace(",", "."));
    if (isFinite(la) && isFinite(lo)) {
      show(la, lo, true);
      suggest(la, lo);
    }
  }

  if (window.L && window.balaiBasemap) {
    el.hidden = false;
    base = window.balaiBasemap(el);
    el.balaiMap = base.map;  // for tests and other scripts
    base.map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng, false); });
    base.ready.then(function () {
      if (lat.value && lng.value) show(parseFloat(lat.value), parseFloat(lng.value), true);
    });
  }
  lat.addEventListener("change", typed);
  lng.addEventListener("change", typed);

  if (button && navigator.geolocation) {
    button.hidden = false;
    button.addEventListener("click", function () {
      say(el.dataset.locating);
      navigator.geolocation.getCurrentPosition(
        function (pos) { place(pos.coords.latitude, pos.coords.longitude, true); },
        function () { say(el.dataset.noLocation); },
        { enableHighAccuracy: true, timeout: 15000 }
      );
    });
  }
})();
