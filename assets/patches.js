// Every browser patch of the app, in this one file: each changes code of Dash, dcc or Plotly in the page
// because they give no public way to do what the product needs. Each says what it does, why there is no
// other way, and the test that fails when a new Dash, dcc or Plotly breaks it; tests/ui/test_patches_file.py
// checks that no other script of assets/ patches theirs.
// window.beanflowsSkipPatches (names, set before the page's scripts run) leaves patches out: bench/patches.py
// measures what each speed patch buys that way. Pages never set it.
(function () {
    var skip = window.beanflowsSkipPatches || [];
    var patches = {};

    // session: when a Dash callback answers 401 (the session ended: logged out elsewhere, password changed,
    // account disabled), go through the login page instead of leaving a blank page; when the page router
    // answers 403 (a page the account may not open), load the page from the server, which explains why.
    // Why a patch: dash-renderer calls its request_post hook only for answers that succeeded, and
    // request_refresh_jwt only for a JWT's expiry; it follows no other answer, so its fetch is wrapped.
    // Test: tests/auth/test_browser.py (the router's 403 reloads the page; a disabled user lands on /login).
    patches.session = function () {
        var originalFetch = window.fetch;
        if (typeof originalFetch !== "function") {
            console.error("beanflows: the session patch found no window.fetch to follow");
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
    };

    // lazy-bundles: component libraries a page may not use (dash-ag-grid's 1.3 MB bundle, dash_table) are
    // not in the page: ui/bundles.py names each in a <meta name="beanflows-lazy-bundle"> tag as "namespace
    // components url". Until a page renders one of those components, the library's namespace holds
    // stand-ins; the first one rendered fetches the bundle, which replaces the namespace, and then renders
    // the real component with the same props.
    // Why a patch: Dash loads every registered library with the page or, for "dynamic" ones, only when a
    // callback returns one of its components, never when a layout holds one.
    // Test: tests/dashboards/test_patches.py (a grid loads its library through the stand-in).
    patches["lazy-bundles"] = function () {
        var React = window.React;
        var tags = document.querySelectorAll('meta[name="beanflows-lazy-bundle"]');

        function loader(namespace, url) {
            var loading = null;
            return function load() {
                if (!loading) {
                    loading = new Promise(function (resolve, reject) {
                        var script = document.createElement("script");
                        script.src = url;
                        script.onload = function () { resolve(window[namespace]); };
                        script.onerror = reject;
                        document.head.appendChild(script);
                    });
                }
                return loading;
            };
        }

        function standIn(name, load) {
            return function LazyComponent(props) {
                var state = React.useState(null);
                var Real = state[0];
                var setReal = state[1];
                React.useEffect(function () {
                    load().then(function (library) {
                        setReal(function () { return library[name]; });
                    });
                }, []);
                if (Real) {
                    return React.createElement(Real, props);
                }
                return React.createElement("div", {className: props.className, style: props.style});
            };
        }

        Array.prototype.forEach.call(tags, function (tag) {
            var parts = tag.content.split(" ");
            var namespace = parts[0];
            if (window[namespace]) {
                return;
            }
            var load = loader(namespace, parts[2]);
            var library = {};
            parts[1].split(",").forEach(function (name) {
                library[name] = standIn(name, load);
            });
            window[namespace] = library;
        });
    };

    // plotly-resize: dcc.Graph asks Plotly to resize each graph twice after its first draw (once itself,
    // once from its resize observer), even when nothing changed size; each waits on a 100 ms timer and then
    // relays the graph out again, and the graph counts as pending meanwhile. Answer a resize at once when the
    // graph's box already has the size it was drawn at; pass any other through.
    // Why a patch: dcc.Graph offers only responsive on or off, and off would stop charts following their
    // cards' width.
    // Test: tests/dashboards/test_patches.py (dcc.Graph still asks; window.beanflowsResizes counts).
    patches["plotly-resize"] = function () {
        var Plots = window.Plotly && window.Plotly.Plots;
        if (!Plots || typeof Plots.resize !== "function") {
            console.error("beanflows: the plotly-resize patch found no Plotly.Plots.resize to answer");
            return;
        }
        var counts = window.beanflowsResizes = {answered: 0, passed: 0};
        var resize = Plots.resize;
        Plots.resize = function (gd) {
            var div = typeof gd === "string" ? document.getElementById(gd) : gd;
            var full = div && div._fullLayout;
            if (full && !div._redrawTimer) {
                var style = window.getComputedStyle(div);
                if (Math.abs(parseFloat(style.width) - full.width) < 1 &&
                        Math.abs(parseFloat(style.height) - full.height) < 1) {
                    counts.answered += 1;
                    return Promise.resolve(div);
                }
            }
            counts.passed += 1;
            return resize.apply(this, arguments);
        };
    };

    // theme-charts: charts follow the page's theme (assets/theme.js): every figure Plotly draws gets the
    // theme's background, text and grid colours, and a theme change redraws the charts already on screen.
    // Done in the browser, so the server's figures (and their caches) stay one light version.
    // Why a patch: Plotly has no default template a page can set; only its drawing functions see every figure.
    // Test: tests/a11y/test_theme.py (dark pages draw dark charts; the toggle redraws them).
    patches["theme-charts"] = function () {
        var Plotly = window.Plotly;
        if (!Plotly || typeof Plotly.react !== "function" || typeof Plotly.newPlot !== "function" ||
                !window.beanflowsTheme) {
            console.error("beanflows: the theme-charts patch found no Plotly.react/newPlot or theme to follow");
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
    };

    // warm-lazy: dcc's Graph, Dropdown and sliders are React.lazy components: the first render that meets
    // one suspends, shows a placeholder and renders again once its code has resolved, so a dashboard's charts
    // waited for a second render pass before drawing. Meeting each once in a throwaway root as soon as the
    // scripts have run resolves them while the layout is still being fetched.
    // Why a patch: dcc resolves its lazy components only when React first renders one; it has no preload.
    // Test: tests/dashboards/test_patches.py (they still suspend on first render; window.beanflowsWarm).
    patches["warm-lazy"] = function () {
        document.addEventListener("DOMContentLoaded", function () {
            var React = window.React;
            var ReactDOM = window.ReactDOM;
            var dcc = window.dash_core_components;
            if (!React || !ReactDOM || !ReactDOM.createRoot || !ReactDOM.flushSync || !dcc || !dcc.Graph) {
                console.error("beanflows: the warm-lazy patch found no React 18 root or dcc components to warm");
                return;
            }
            var warm = window.beanflowsWarm = {suspended: false, failed: null};
            var noop = function () {};
            var elements = [
                React.createElement(dcc.Graph, {id: "beanflows-warm-graph", setProps: noop}),
                React.createElement(dcc.Dropdown, {id: "beanflows-warm-dropdown", options: [], setProps: noop}),
                React.createElement(dcc.RangeSlider, {id: "beanflows-warm-range", min: 0, max: 1, setProps: noop}),
                React.createElement(dcc.Slider, {id: "beanflows-warm-slider", min: 0, max: 1, setProps: noop})
            ];
            var container = document.createElement("div");
            var root = ReactDOM.createRoot(container);
            try {
                // Rendered synchronously: each lazy component starts resolving and suspends; nothing mounts.
                ReactDOM.flushSync(function () {
                    root.render(React.createElement(React.Suspense, {fallback: null}, elements));
                });
                // dcc.Graph's own Suspense shows its pending placeholder while its code resolves.
                warm.suspended = container.innerHTML.indexOf("dash-graph--pending") !== -1;
            } catch (error) {
                warm.failed = String(error);  // a component that cannot render outside Dash only loses its head start
            }
            root.unmount();
        });
    };

    Object.keys(patches).forEach(function (name) {
        if (skip.indexOf(name) === -1) {
            patches[name]();
        }
    });
})();
