// dcc's Graph, Dropdown and sliders are React.lazy components: the first render that meets one
// suspends, shows a placeholder and renders again once its code has resolved, so a dashboard's
// charts waited for a second render pass before drawing. Meeting each once in a throwaway root
// as soon as the scripts have run resolves them while the layout is still being fetched.
// tests/dashboards/test_patches.py fails when they no longer suspend (window.beanflowsWarm).
document.addEventListener("DOMContentLoaded", function () {
    var React = window.React;
    var ReactDOM = window.ReactDOM;
    var dcc = window.dash_core_components;
    if (!React || !ReactDOM || !ReactDOM.createRoot || !ReactDOM.flushSync || !dcc || !dcc.Graph) {
        console.error("beanflows: warm-lazy.js found no React 18 root or dcc components to warm");
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
