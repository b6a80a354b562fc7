"""The browser-side check that a Dash page has finished drawing."""

# True once no Dash callback is loading and every plot holds drawn, non-pending data.
ALL_DRAWN = """() => {
  const plots = document.querySelectorAll('.js-plotly-plot');
  if (!plots.length) return false;
  if (document.querySelector('[data-dash-is-loading="true"]')) return false;
  return Array.from(plots).every(g =>
    !g.classList.contains('dash-graph--pending') && g._fullLayout && g.data && g.data.length > 0);
}"""

# Each drawn chart's background: the theme-charts patch (assets/patches.js) paints it this colour in dark mode.
DARK_PAPER = "#212529"
PAPERS = "() => [...document.querySelectorAll('.js-plotly-plot')].map(g => g._fullLayout.paper_bgcolor)"
