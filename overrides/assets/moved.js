// An old organisation address (sources/redirects.yaml): go on to the organisation's page
// now, keeping the #anchor of a bookmarked date or group, which a meta refresh would drop.
(function () {
  "use strict";
  var canonical = document.querySelector('link[rel="canonical"]');
  if (canonical) {
    location.replace(canonical.href + location.hash);
  }
})();
