/**
 * Last-Modified's text (httpDate) is made once per second seen and kept (issue 19): whatever the
 * order of the dates, and after the map of kept texts has been emptied, it must be what
 * `toUTCString` gives for that very date.
 */
import t from 'tap';
import { httpDate } from '../../server/operations/object-meta';

t.test('httpDate is toUTCString for every date, kept or not', async (t) => {
  let seed = 19;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const base = Date.UTC(2026, 11, 6, 12, 0, 0);
  const dates: Date[] = [
    new Date(0), new Date(-1), new Date(-999), new Date(-1000), new Date(-1001), new Date(999), new Date(1000),
    new Date(base), new Date(base + 999), new Date(base - 1), new Date(Number.NaN), new Date(8.64e15), new Date(-8.64e15),
  ];
  // Many times within few seconds (repeats), and more distinct seconds than the map keeps.
  for (let i = 0; i < 6000; i++) dates.push(new Date(base + Math.floor(random() * 5000) - 2500));
  for (let i = 0; i < 6000; i++) dates.push(new Date(base + Math.floor((random() - 0.5) * 4e12)));
  let wrong = 0;
  for (let round = 0; round < 2; round++) {
    for (const d of dates) if (httpDate(d) !== d.toUTCString()) wrong++;
    dates.reverse();
  }
  t.equal(wrong, 0, `${dates.length * 2} dates`);
});
