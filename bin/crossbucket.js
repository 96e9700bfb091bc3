#!/usr/bin/env node
'use strict';
// The CLI entry: runs the compiled server (`npm run build` writes dist/).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'server', 'cli', 'main.js');
if (!existsSync(main)) {
  console.error(`crossbucket: ${main} is missing: run \`npm run build\` first (or \`npm start\`, which builds)`);
  process.exit(1);
}
require(main).main(process.argv.slice(2)).catch((err) => {
  console.error(`crossbucket: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
