/** scripts/bundle.js: the command line as one file (see there). */
export function bundle(from?: string, outfile?: string): Promise<number>;
export const EXTERNAL: string[];
