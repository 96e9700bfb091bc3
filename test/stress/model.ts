/**
 * What a key may hold. The drivers run at most one operation per key at a time, so after a crash
 * a key holds either its last acknowledged state or the state its one unacknowledged operation
 * was writing: nothing else (a torn or mixed body matches neither).
 */

export type KeyState =
  | { kind: 'absent' }
  /** `etags`: the ETags this content may carry (a copy of a multipart object may get a plain MD5). */
  | { kind: 'object'; md5: string; etags: string[]; size: number };

export const ABSENT: KeyState = { kind: 'absent' };

export interface KeyModel {
  key: string;
  acked: KeyState;
  /** The target of an operation sent but not acknowledged (in flight, or cut by the kill). */
  pending: KeyState | undefined;
  busy: boolean;
}

/** What a read observed: undefined = 404 NoSuchKey. */
export interface Observed { md5: string; etag: string; size: number }

export function matches(state: KeyState, seen: Observed | undefined): boolean {
  if (state.kind === 'absent') return seen === undefined;
  return seen !== undefined && seen.md5 === state.md5 && seen.size === state.size && state.etags.includes(seen.etag);
}

export function describeState(state: KeyState | undefined): string {
  if (state === undefined) return '-';
  return state.kind === 'absent' ? 'absent' : `${state.etags.join('|')} ${state.size}B md5=${state.md5}`;
}

export function describeObserved(seen: Observed | undefined): string {
  return seen === undefined ? 'absent (404)' : `${seen.etag} ${seen.size}B md5=${seen.md5}`;
}

export class Keyspace {
  readonly keys: KeyModel[];

  constructor(names: string[]) {
    this.keys = names.map((key) => ({ key, acked: ABSENT, pending: undefined, busy: false }));
  }

  /** An idle key (marked busy), chosen with `random`; undefined when all are busy. */
  take(random: () => number, filter: (k: KeyModel) => boolean = () => true): KeyModel | undefined {
    const n = this.keys.length;
    const start = Math.floor(random() * n);
    for (let i = 0; i < n; i++) {
      const k = this.keys[(start + i) % n] as KeyModel;
      if (!k.busy && filter(k)) {
        k.busy = true;
        return k;
      }
    }
    return undefined;
  }

  release(k: KeyModel): void {
    k.busy = false;
  }

  get(key: string): KeyModel | undefined {
    return this.keys.find((k) => k.key === key);
  }
}

/** Key names: mostly plain, some with spaces, unicode, slashes and characters that need encoding. */
export function keyNames(count: number): string[] {
  const odd = ['dir/a b', 'ünïcødé/ℂ€', 'x+y=z&q', 'deep/er/still/', 'tab\tkey', 'per%cent', '  padded  '];
  return Array.from({ length: count }, (_, i) => (i < odd.length ? `${odd[i]}-${i}` : `obj/${String(i).padStart(4, '0')}`));
}
