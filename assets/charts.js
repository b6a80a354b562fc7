// "PNG" beside each chart's CSV: Plotly draws the image in the browser, no server round trip.
document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-png]") : null;
    if (!button || !window.Plotly) {
        return;
    }
    var id = button.getAttribute("data-png");
    var graph = document.querySelector("#" + CSS.escape(id) + " .js-plotly-plot");
    if (graph) {
        window.Plotly.downloadImage(graph, {format: "png", filename: "beanflows-" + id,
                                            width: graph.offsetWidth, height: graph.offsetHeight});
    }
});

// Keep each chart's mode bar out of the keyboard's tab order: the card's buttons do its jobs.
// Once a frame at most: Plotly makes thousands of nodes as it draws.
(function () {
    var queued = false;
    function untab() {
        queued = false;
        document.querySelectorAll(".modebar-btn:not([tabindex='-1'])").forEach(function (button) {
            button.setAttribute("tabindex", "-1");
        });
    }
    new MutationObserver(function () {
        if (!queued) {
            queued = true;
            window.requestAnimationFrame(untab);
        }
    }).observe(document.documentElement, {childList: true, subtree: true});
})();
