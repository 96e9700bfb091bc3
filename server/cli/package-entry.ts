/**
 * The entry of the one-file build, dist/crossbucket.js (scripts/bundle.js): the library's exports
 * (index.ts), which `require('crossbucket')` gives through lib/index.js, and the command line's
 * `main`, which bin/crossbucket.js calls; run directly (`node dist/crossbucket.js serve`, as `npm
 * run bench` does), the command line. One file serves both, so the package carries one bundle.
 */
import { runCommandLine } from './main';

export * from '../../index';
export { main } from './main';

if (require.main === module) runCommandLine();
