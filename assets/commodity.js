// The navbar's commodity switcher: open the same dashboard on the chosen commodity, keeping the filters in its URL
// (the page drops those the other commodity has no use for); off a dashboard, the overview.
(function () {
    "use strict";
    function target(form, slug) {
        var here = new URL(window.location.href);
        var onDashboard = here.pathname.indexOf("/dashboards/") === 0;
        var url = onDashboard ? here : new URL(form.getAttribute("action") || "/dashboards/overview", here);
        if (!onDashboard) {
            url.search = "";
        }
        if (slug === form.getAttribute("data-default")) {
            url.searchParams.delete("commodity");
        } else {
            url.searchParams.set("commodity", slug);
        }
        // A release is one commodity's: the other commodity opens on its latest numbers.
        url.searchParams.delete("release");
        url.hash = "";
        return url.toString();
    }
    function go(form) {
        var select = form.querySelector("select[name=commodity]");
        if (select) {
            window.location.assign(target(form, select.value));
        }
    }
    document.addEventListener("change", function (event) {
        var form = event.target && event.target.closest ? event.target.closest("[data-commodity-switch]") : null;
        if (form) {
            go(form);
        }
    });
    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (form && form.hasAttribute && form.hasAttribute("data-commodity-switch")) {
            event.preventDefault();
            go(form);
        }
    });
}());
