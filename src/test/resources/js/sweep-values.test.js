import {
  conditionValue, firstValueText, parseSweepText, parseSweepValue, parseTicked, sweepable, takesRange,
} from '/static/sweep-values.js';
import { deepEq, eq, test } from './assert.js';
import { byName } from './fields.js';

const NOT_SWEPT = { seed: 'is varied by seeds', backend: 'says where', threads: 'says where' };

test('numbers and choices are swept, but not a backend nor what the server refuses to sweep', () => {
  eq(sweepable(byName('kernel'), NOT_SWEPT), true);
  eq(sweepable(byName('lr'), NOT_SWEPT), true);
  eq(sweepable(byName('activation'), NOT_SWEPT), true);
  eq(sweepable(byName('threads'), NOT_SWEPT), false, 'the server says why');
  eq(sweepable(byName('threads'), {}), true, 'only the server\'s list decides for a number');
  eq(sweepable(byName('backend'), {}), false, 'a backend is never a list');
  eq(takesRange(byName('lr')), true);
  eq(takesRange(byName('kernel')), true);
  eq(takesRange(byName('activation')), false);
});

test('"3,5,7" lists numbers; one value is no sweep', () => {
  deepEq(parseSweepText(byName('kernel'), '3,5,7'), { list: [3, 5, 7] });
  deepEq(parseSweepText(byName('kernel'), ' 3 , 5 '), { list: [3, 5] }, 'blanks around the values');
  deepEq(parseSweepText(byName('lr'), '1e-4,0.001'), { list: [0.0001, 0.001] });
  deepEq(parseSweepText(byName('kernel'), '3'), { single: 3 });
  deepEq(parseSweepText(byName('kernel'), '3,'), { single: 3 }, 'a list the user is still typing');
  deepEq(parseSweepText(byName('kernel'), '3,,5,'), { list: [3, 5] }, 'empty entries skipped');
  deepEq(parseSweepText(byName('kernel'), ''), { single: '' }, 'nothing: for the server to name');
  deepEq(parseSweepText(byName('kernel'), '3,x'), { list: [3, 'x'] }, 'text the server names in its error');
  deepEq(parseSweepText(byName('kernel'), '3,3.5'), { list: [3, '3.5'] }, 'not a whole number: as text');
  deepEq(parseSweepText(byName('kernel'), '5,3,5'), { list: [5, 3, 5] }, 'order and repeats kept: the server names'
    + ' a value listed twice');
});

test('"lo..hi" is a range, its ends trimmed and left as text', () => {
  deepEq(parseSweepText(byName('lr'), '1e-4..1e-2'), { range: '1e-4..1e-2' });
  deepEq(parseSweepText(byName('lr'), ' 1e-4 .. 1e-2 '), { range: '1e-4..1e-2' });
  deepEq(parseSweepText(byName('height'), '8..32'), { range: '8..32' });
  deepEq(parseSweepText(byName('lr'), '0.5..'), { range: '0.5..' }, 'half a range: the server says what is missing');
});

test('ticked choices list in the field\'s order; one ticked is one value', () => {
  deepEq(parseTicked(byName('activation'), ['relu', 'sin']), { list: ['sin', 'relu'] });
  deepEq(parseTicked(byName('activation'), ['relu']), { single: 'relu' });
  deepEq(parseTicked(byName('activation'), []), { list: [] }, 'none: the server says a sweep needs a value');
  deepEq(parseTicked(byName('activation'), ['sin', 'swish']), { list: ['sin', 'swish'] }, 'an unknown id kept');
  deepEq(parseSweepValue(byName('activation'), ['sin', 'relu']), { list: ['sin', 'relu'] });
  deepEq(parseSweepValue(byName('kernel'), '3,5'), { list: [3, 5] });
});

test('what conditions compare: every value of a list, else the one value', () => {
  deepEq(conditionValue(byName('gridType'), ['3d', '2d']), ['2d', '3d']);
  eq(conditionValue(byName('gridType'), ['3d']), '3d');
  eq(conditionValue(byName('gridType'), '2d'), '2d');
  deepEq(conditionValue(byName('kernel'), '3,5'), ['3', '5']);
  eq(conditionValue(byName('lr'), '1e-4..1e-2'), '1e-4..1e-2');
});

test('back to one run: the first of a list, the start of a range', () => {
  eq(firstValueText(byName('kernel'), '5,3,7'), '5');
  eq(firstValueText(byName('lr'), '1e-4 .. 1e-2'), '1e-4');
  eq(firstValueText(byName('lr'), '0.001'), '0.001');
  eq(firstValueText(byName('activation'), ['relu', 'sin']), 'sin', 'the first in the field\'s order');
  eq(firstValueText(byName('activation'), []), '');
});
