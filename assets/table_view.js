// "Table" on each chart card: the numbers the chart draws, read from the drawn figure, as an
// HTML table (caption, header cells with scope) for screen readers and copy-paste. It follows
// the chart while open: every redraw of the chart redraws the table.
(function () {
    var NUMBER = new Intl.NumberFormat("en-US", {maximumFractionDigits: 2, useGrouping: false});

    function text(value) {
        if (value === null || value === undefined || (typeof value === "number" && !isFinite(value))) {
            return "";
        }
        return typeof value === "number" ? NUMBER.format(value) : String(value);
    }

    function plain(html) {
        var div = document.createElement("div");
        div.innerHTML = String(html || "").replace(/<br\s*\/?>/gi, " ");
        return div.textContent.trim();
    }

    // A table of rows by category (the x of a line or vertical bar, the y of a horizontal bar),
    // one column per named trace.
    function seriesTable(traces) {
        var keys = [];
        var seen = {};
        var columns = traces.map(function (trace) {
            var horizontal = trace.orientation === "h";
            var cats = (horizontal ? trace.y : trace.x) || [];
            var vals = (horizontal ? trace.x : trace.y) || [];
            var byKey = {};
            for (var i = 0; i < cats.length; i++) {
                var key = String(cats[i]);
                if (!seen[key]) {
                    seen[key] = true;
                    keys.push(cats[i]);
                }
                byKey[key] = vals[i];
            }
            return {name: plain(trace.name) || "value", values: byKey};
        });
        var years = keys.length && keys.every(function (k) { return Number.isInteger(k) && k > 1900 && k < 2200; });
        return {
            head: [years ? "Market year" : "Category"].concat(columns.map(function (c) { return c.name; })),
            rows: keys.map(function (key) {
                return [key].concat(columns.map(function (c) { return c.values[String(key)]; }));
            })
        };
    }

    function mapTable(trace) {
        var names = trace.text || trace.locations || [];
        return {head: ["Country", plain(trace.name) || "value"],
                rows: (trace.locations || []).map(function (loc, i) { return [names[i] || loc, (trace.z || [])[i]]; })};
    }

    function flowTable(trace) {
        var labels = (trace.node && trace.node.label) || [];
        var link = trace.link || {};
        return {head: ["from", "to", "value"],
                rows: (link.value || []).map(function (v, i) {
                    return [labels[link.source[i]], labels[link.target[i]], v];
                })};
    }

    function tableOf(gd) {
        var traces = (gd.data || []).filter(function (t) { return t.visible !== false && t.hoverinfo !== "skip"; });
        var first = traces[0] || {};
        if (first.type === "choropleth") {
            return mapTable(first);
        }
        if (first.type === "sankey") {
            return flowTable(first);
        }
        return seriesTable(traces.filter(function (t) { return t.x || t.y; }));
    }

    function cell(tag, content, scope) {
        var element = document.createElement(tag);
        element.textContent = text(content);
        if (scope) {
            element.setAttribute("scope", scope);
        }
        return element;
    }

    function draw(panel, gd) {
        var data = tableOf(gd);
        var title = plain(gd.layout && gd.layout.title && (gd.layout.title.text || gd.layout.title)) || "Chart";
        var table = document.createElement("table");
        table.className = "table table-sm table-striped mb-0";
        var caption = document.createElement("caption");
        caption.textContent = title + ": the numbers drawn";
        table.appendChild(caption);
        var head = document.createElement("thead");
        var headRow = document.createElement("tr");
        data.head.forEach(function (name) { headRow.appendChild(cell("th", name, "col")); });
        head.appendChild(headRow);
        table.appendChild(head);
        var body = document.createElement("tbody");
        data.rows.forEach(function (row) {
            var tr = document.createElement("tr");
            row.forEach(function (value, i) { tr.appendChild(cell(i === 0 ? "th" : "td", value, i === 0 ? "row" : null)); });
            body.appendChild(tr);
        });
        table.appendChild(body);
        // A scrolling box must be reachable by keyboard, and named.
        var box = document.createElement("div");
        box.className = "chart-table-scroll";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", title + ", as a table");
        box.appendChild(table);
        panel.replaceChildren(box);
    }

    function graphOf(button) {
        var id = button.getAttribute("data-table");
        return document.querySelector("#" + CSS.escape(id) + ".js-plotly-plot, #" + CSS.escape(id) + " .js-plotly-plot");
    }

    document.addEventListener("click", function (event) {
        var button = event.target.closest ? event.target.closest("[data-table]") : null;
        if (!button) {
            return;
        }
        var panel = document.getElementById(button.getAttribute("aria-controls"));
        var gd = graphOf(button);
        if (!panel || !gd) {
            return;
        }
        if (button.getAttribute("aria-expanded") === "true") {
            button.setAttribute("aria-expanded", "false");
            panel.replaceChildren();
            return;
        }
        button.setAttribute("aria-expanded", "true");
        draw(panel, gd);
        if (!gd.beanflowsTableFollows && gd.on) {
            gd.beanflowsTableFollows = true;
            gd.on("plotly_afterplot", function () {
                if (button.isConnected && button.getAttribute("aria-expanded") === "true") {
                    draw(panel, gd);
                }
            });
        }
    });
})();
