/** lastAnswer / lastAnswerIn: the previous answer only for the same input (and the same context). */
import t from 'tap';
import { lastAnswer, lastAnswerIn } from '../../server/auth/last-answer';

t.test('lastAnswer computes again whenever the input differs from the previous one', async (t) => {
  const seen: string[] = [];
  const upper = lastAnswer((s: string) => (seen.push(s), s.toUpperCase()));
  t.same(['a', 'a', 'b', 'a', 'a'].map(upper), ['A', 'A', 'B', 'A', 'A']);
  t.same(seen, ['a', 'b', 'a'], 'one computation per change of input');
  const none = lastAnswer((s: string) => (seen.push(`none:${s}`), undefined));
  t.equal(none('x'), undefined);
  t.equal(none('x'), undefined);
  t.same(seen.slice(3), ['none:x'], 'an undefined answer is reused too');
});

t.test('lastAnswerIn computes again when the context is another object, even an equal one', async (t) => {
  let computed = 0;
  const pick = lastAnswerIn((key: string, context: readonly string[]) => (computed++, context.includes(key)));
  const one = ['a'];
  const other = ['b'];
  t.equal(pick('a', one), true);
  t.equal(pick('a', one), true);
  t.equal(computed, 1);
  t.equal(pick('a', other), false, 'another context');
  t.equal(pick('a', ['a']), true, 'an equal context that is another array');
  t.equal(computed, 3);
});
