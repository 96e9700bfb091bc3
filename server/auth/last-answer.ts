/**
 * The previous call's answer, when the next call repeats its input: a client sends request after
 * request with the same credential, SignedHeaders list and Host, and the same X-Amz-Date within a
 * second. One entry, inputs compared with `===`. The answer is handed out again, so `compute` must
 * return something no caller changes (a string, a number, a frozen object).
 */
export function lastAnswer<K, V>(compute: (key: K) => V): (key: K) => V {
  let known = false;
  let lastKey: K | undefined;
  let lastValue: V | undefined;
  return (key) => {
    if (known && lastKey === key) return lastValue as V;
    lastValue = compute(key);
    lastKey = key;
    known = true;
    return lastValue;
  };
}

/** lastAnswer for an answer that also depends on a context (a server's base domains), compared by identity. */
export function lastAnswerIn<K, C, V>(compute: (key: K, context: C) => V): (key: K, context: C) => V {
  let known = false;
  let lastKey: K | undefined;
  let lastContext: C | undefined;
  let lastValue: V | undefined;
  return (key, context) => {
    if (known && lastKey === key && lastContext === context) return lastValue as V;
    lastValue = compute(key, context);
    lastKey = key;
    lastContext = context;
    known = true;
    return lastValue;
  };
}
