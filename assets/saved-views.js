// The navbar's "Save view" form posts the dashboard URL in the address bar (filters included).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.classList || !form.classList.contains("saved-views-form")) return;
  form.querySelector("input[name=url]").value = window.location.pathname + window.location.search;
});
