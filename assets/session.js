// When a Dash callback answers 401 (the session ended: logged out elsewhere, password
// changed, account disabled), go through the login page instead of leaving a blank page.
// When the page router answers 403 (a page the account may not open), load the page
// from the server, which explains why (subscriber feature, admins only).
// tests/auth/test_browser.py fails when dash-renderer's requests stop going through window.fetch.
(function () {
  var originalFetch = window.fetch;
  if (typeof originalFetch !== "function") {
    console.error("beanflows: session.js found no window.fetch to follow");
    return;
  }
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    var body = init && typeof init.body === "string" ? init.body : "";
    return originalFetch.apply(this, arguments).then(function (response) {
      if (url.indexOf("/_dash-update-component") !== -1) {
        if (response.status === 401) {
          var next = window.location.pathname + window.location.search;
          window.location.assign("/login?next=" + encodeURIComponent(next));
        } else if (response.status === 403 && body.indexOf('"_pages_content') !== -1) {
          window.location.assign(window.location.href);
        }
      }
      return response;
    });
  };
})();
