// Charts follow the page's theme (assets/theme.js): every figure Plotly draws gets the theme's
// background, text and grid colours, and a theme change redraws the charts already on screen.
// Done in the browser, so the server's figures (and their caches) stay one light version.
(function () {
    var Plotly = window.Plotly;
    if (!Plotly || typeof Plotly.react !== "function" || typeof Plotly.newPlot !== "function" ||
            !window.beanflowsTheme) {
        console.error("beanflows: theme-charts.js found no Plotly.react/newPlot or theme to follow");
        return;
    }
    if (Plotly.beanflowsThemed) {  // loaded twice: the first copy already wraps them
        return;
    }
    Plotly.beanflowsThemed = true;
    var COLOURS = {
        dark: {paper: "#212529", grid: "#3a4046", zero: "#6c757d", font: "#dee2e6", note: "#ced4da",
               noteBg: "rgba(33,37,41,0.8)"},
        light: {paper: "white", grid: "#eee", zero: "#bbb", font: "#444", note: null, noteBg: null}
    };
    // Near-black series colours (the world, "other" production) would vanish on a dark background.
    var DARK_LINES = {"#444444": "#bbbbbb", "#000000": "#dddddd", "#555555": "#bbbbbb"};

    function themedLayout(layout, theme) {
        var c = COLOURS[theme];
        var out = Object.assign({}, layout || {});
        out.paper_bgcolor = c.paper;
        out.plot_bgcolor = c.paper;
        out.font = Object.assign({}, out.font, {color: c.font});
        ["xaxis", "yaxis"].forEach(function (axis) { out[axis] = out[axis] || {}; });
        Object.keys(out).forEach(function (key) {
            if (/^[xy]axis\d*$/.test(key)) {
                out[key] = Object.assign({}, out[key], {gridcolor: c.grid, zerolinecolor: c.zero});
            }
        });
        if (theme === "dark" && Array.isArray(out.annotations)) {
            out.annotations = out.annotations.map(function (note) {
                var themed = Object.assign({}, note, {font: Object.assign({}, note.font, {color: c.note})});
                if (note.bgcolor) {
                    themed.bgcolor = c.noteBg;
                }
                return themed;
            });
        }
        return out;
    }

    function themedData(data, theme) {
        if (theme !== "dark" || !Array.isArray(data)) {
            return data;
        }
        return data.map(function (trace) {
            var colour = trace && trace.line && DARK_LINES[String(trace.line.color).toLowerCase()];
            return colour ? Object.assign({}, trace, {line: Object.assign({}, trace.line, {color: colour})}) : trace;
        });
    }

    // Plotly.react/newPlot take (gd, data, layout, config) or (gd, {data, layout, config, frames}).
    function wrap(name) {
        var original = Plotly[name];
        Plotly[name] = function (gd, dataOrFigure, layout, config) {
            var theme = window.beanflowsTheme.current();
            var div = typeof gd === "string" ? document.getElementById(gd) : gd;
            if (dataOrFigure && !Array.isArray(dataOrFigure) && typeof dataOrFigure === "object") {
                if (div) {
                    div.beanflowsFigure = {data: dataOrFigure.data, layout: dataOrFigure.layout,
                                          config: dataOrFigure.config};
                }
                var figure = Object.assign({}, dataOrFigure, {data: themedData(dataOrFigure.data, theme),
                                                              layout: themedLayout(dataOrFigure.layout, theme)});
                return original.call(this, gd, figure);
            }
            if (div) {
                div.beanflowsFigure = {data: dataOrFigure, layout: layout, config: config};
            }
            return original.call(this, gd, themedData(dataOrFigure, theme), themedLayout(layout, theme), config);
        };
    }
    wrap("react");
    wrap("newPlot");

    window.beanflowsTheme.onChange(function (theme) {
        document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
            var figure = gd.beanflowsFigure || {data: gd.data, layout: gd.layout};
            Plotly.react(gd, figure.data, figure.layout, figure.config);
        });
    });
})();
