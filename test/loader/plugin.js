/**
 * A tap plugin (package.json's `tap.plugin`, in place of @tapjs/typescript): tap finds `.ts` test
 * files, in folders too, and starts each test process with `--import` of ./import.mjs.
 */
exports.testFileExtensions = ['ts'];
exports.importLoader = 'crossbucket-test-loader/import.mjs';
// Ahead of tap's own loaders, as @tapjs/typescript's is.
exports.preload = true;
