// Bundle plotly.js with only the given trace types, as plotly.js's own esbuild-config.js
// builds dist/plotly.min.js. Usage: node build.js OUTFILE scatter,bar,...
'use strict';

const fs = require('fs');
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

const version = require('plotly.js/package.json').version;
const outfile = process.argv[2];
const traces = process.argv[3].split(',');
// The core already holds scatter; register the rest, as plotly.js's lib/index-*.js do.
const entry = "var Plotly = require('plotly.js/lib/core');\n" +
    'Plotly.register([' + traces.filter(t => t !== 'scatter')
        .map(t => "require('plotly.js/lib/" + t + "')").join(', ') + ']);\n' +
    'module.exports = Plotly;\n';

esbuild.build({
    stdin: { contents: entry, resolveDir: __dirname, sourcefile: 'entry.js' },
    outfile: outfile,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'none',
    plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    banner: {
        js: '/* plotly.js v' + version + ' (MIT, Copyright 2012-2026 Plotly, Inc.), custom bundle of traces ' +
            traces.join(', ') + '. Rebuild with `make plotly-bundle` (see vendor/plotly/build.js). */'
    },
    logLevel: 'warning'
}).then(function () {
    console.log(outfile + ': ' + fs.statSync(outfile).size + ' bytes');
});
