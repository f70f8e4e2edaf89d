#!/usr/bin/env node
// The `topolint` command: runs the bundled CLI (built by `npm run build` into dist/cli.js).
require('../dist/cli.js').run(process.argv.slice(2));
