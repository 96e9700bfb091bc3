/** Reading the JSON files the configuration names (users file, seed file), with errors a user can act on. */
import { readFileSync } from 'node:fs';

/** A configuration mistake: the message names the flag, variable or file and what is wrong. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** `line L, column C` of a character offset, both 1-based. */
function lineColumn(text: string, offset: number): string {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') { line++; column = 1; } else column++;
  }
  return `line ${line}, column ${column}`;
}

/** Parses JSON text; a syntax error becomes `<label>: not valid JSON (line L, column C): ...`. */
export function parseJsonText(text: string, label: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /at position (\d+)/.exec(message);
    const where = at?.[1] !== undefined ? ` (${lineColumn(text, Number(at[1]))})` : '';
    throw new ConfigError(`${label}: not valid JSON${where}: ${message}`);
  }
}

/** Reads and parses a JSON file; every failure is a ConfigError naming `label`. */
export function readJsonFile(path: string, label = path): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : (err as Error).message;
    throw new ConfigError(`${label}: cannot read: ${why}`);
  }
  return parseJsonText(text, label);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The candidate a misspelt name most likely meant, for "did you mean" hints: a small edit
 * distance, or the name's letters in order within the candidate (`secretKey` → `secretAccessKey`).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = distance(w, lc);
    const near = d <= Math.max(2, Math.floor(word.length / 4)) || (w.length >= 4 && w.length * 2 >= lc.length && isSubsequence(w, lc));
    if (near && d < bestDistance) { best = c; bestDistance = d; }
  }
  return best;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** Refuses members of `obj` not in `known`, naming the closest known one. */
export function assertKnownMembers(obj: Record<string, unknown>, known: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const hint = closest(key, known);
    const where = path === '' ? '' : `${path}: `;
    throw new ConfigError(`${where}unknown member "${key}"${hint ? ` (did you mean "${hint}"?)` : ` (expected ${known.join(', ')})`}`);
  }
}
