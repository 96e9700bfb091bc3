/**
 * Module loader hook (node:module `register`, from ./import.mjs): a `.ts` file is CommonJS,
 * which node then loads through require(), where ./import.mjs transpiles it.
 */
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('.ts')) return { format: 'commonjs', shortCircuit: true };
  return nextLoad(url, context);
}
