// Component libraries a page may not use (dash-ag-grid's 1.3 MB bundle, dash_table) are not
// in the page: web/bundles.py names each in a <meta name="beanflows-lazy-bundle"> tag as
// "namespace components url". Until a page renders one of those components, the library's
// namespace holds stand-ins; the first one rendered fetches the bundle, which replaces the
// namespace, and then renders the real component with the same props.
(function () {
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
})();
