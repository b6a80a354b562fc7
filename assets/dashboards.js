// Client-side helpers for the dashboards (no server round trip).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    beanflows: {
        // Name the country in the browser tab whenever the heading changes.
        countryTitle: function (name) {
            if (typeof name === "string" && name) {
                document.title = name + " \u00b7 beanflows";
            }
            return name || "";
        },
        // The phone navbar: the toggler opens or closes it; arriving on another page closes it.
        toggleNav: function (nClicks, pathname, isOpen) {
            var ctx = window.dash_clientside.callback_context;
            var byToggler = ctx.triggered.some(function (t) { return t.prop_id === "shell-nav-toggler.n_clicks"; });
            return byToggler ? !isOpen : false;
        },
        // Ask dash-ag-grid to export the table as the user sorted and filtered it.
        exportGrid: function (nClicks) {
            return nClicks ? true : window.dash_clientside.no_update;
        },
        // Show the URL the page was drawn from (defaults filled in, bad values dropped)
        // without adding a history entry for the URL as typed.
        canonicalUrl: function (url) {
            var here = window.location;
            if (!url) {
                return [here.href, here.pathname, here.search];
            }
            var path = url.pathname || here.pathname;
            if (path + url.search !== here.pathname + here.search) {
                window.history.replaceState(window.history.state, "", path + url.search + here.hash);
            }
            return [here.href, here.pathname, here.search];
        }
    }
});
