#!/usr/bin/env node
'use strict';
// The CLI entry: runs the compiled server (npm run build writes dist/).
require('../dist/server/main.js').main(process.argv.slice(2)).catch((err) => {
  console.error(err && err.message ? err.message : err);
  process.exit(1);
});
