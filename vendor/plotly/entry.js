// plotly.js with only the trace types beanflows draws (scatter is in the core).
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/sankey'),
    require('plotly.js/lib/choropleth')
]);

module.exports = Plotly;
