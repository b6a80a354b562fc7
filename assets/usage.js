// A chart saved as PNG from its toolbar is counted like a CSV download (auth/usage.py: POST /usage/png).
// The image itself never leaves the browser; only the chart's id is sent.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest('.modebar-btn[data-title^="Download plot"]');
  if (!button || button.getAttribute("data-title").indexOf("JSON") !== -1) return;
  var graph = button.closest(".dash-graph");
  if (!graph || !graph.id) return;
  var token = (document.cookie.match(/(?:^|; )_csrf_token=([^;]*)/) || [])[1];
  fetch("/usage/png", {
    method: "POST", credentials: "same-origin", keepalive: true,
    headers: {"Content-Type": "application/json", "X-CSRFToken": token ? decodeURIComponent(token) : ""},
    body: JSON.stringify({chart: graph.id})
  });
}, true);
