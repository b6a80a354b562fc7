// dash-ag-grid's bundle (1.3 MB) loads only when a page renders a grid: until then
// window.dash_ag_grid.AgGrid is this stand-in, which fetches the bundle and then
// renders the real grid with the same props (web/bundles.py names the bundle's URL).
(function () {
    var meta = document.querySelector('meta[name="beanflows-grid-bundle"]');
    if (window.dash_ag_grid || !meta) {
        return;
    }
    var React = window.React;
    var loading = null;

    function load() {
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                var script = document.createElement("script");
                script.src = meta.content;
                script.onload = function () { resolve(window.dash_ag_grid); };
                script.onerror = reject;
                document.head.appendChild(script);
            });
        }
        return loading;
    }

    function lazy(name) {
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

    window.dash_ag_grid = {AgGrid: lazy("AgGrid")};
})();
