// When a Dash callback answers 401 (the session ended: logged out elsewhere, password
// changed, account disabled), reload through the login page instead of leaving a blank page.
(function () {
  var originalFetch = window.fetch;
  window.fetch = function (input) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    return originalFetch.apply(this, arguments).then(function (response) {
      if (response.status === 401 && url.indexOf("/_dash-update-component") !== -1) {
        var next = window.location.pathname + window.location.search;
        window.location.assign("/login?next=" + encodeURIComponent(next));
      }
      return response;
    });
  };
})();
