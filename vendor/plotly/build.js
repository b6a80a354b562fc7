// Bundle entry.js as plotly.js's own esbuild-config.js builds dist/plotly.min.js.
'use strict';

const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

const version = require('plotly.js/package.json').version;
const outfile = process.argv[2];
const traces = ['scatter', 'bar', 'sankey', 'choropleth'];

esbuild.build({
    entryPoints: [path.join(__dirname, 'entry.js')],
    outfile: outfile,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    banner: {
        js: '/* plotly.js v' + version + ' (MIT, Copyright 2012-2026 Plotly, Inc.), custom bundle: traces ' +
            traces.join(', ') + '. Rebuild with `make plotly-bundle` (vendor/plotly). */'
    },
    logLevel: 'info'
}).then(function () {
    console.log(outfile + ': ' + fs.statSync(outfile).size + ' bytes');
});
