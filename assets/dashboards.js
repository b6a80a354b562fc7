// Client-side helpers for the dashboards (no server round trip).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    beanflows: {
        // Ask dash-ag-grid to export the table as the user sorted and filtered it.
        exportGrid: function (nClicks) {
            return nClicks ? true : window.dash_clientside.no_update;
        }
    }
});
