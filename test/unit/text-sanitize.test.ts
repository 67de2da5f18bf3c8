import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanText, isBlank, truncate } from '../../services/text/sanitize.ts';

test('cleanText removes NUL and other C0 controls but keeps tab, LF and CR', () => {
  assert.equal(cleanText('a\u0000b\u0001c\u001Fd\u0007'), 'abcd');
  assert.equal(cleanText('line1\nline2\r\n\tend'), 'line1\nline2\r\n\tend');
  assert.equal(cleanText('\u0000'), '');
});

test('cleanText replaces lone surrogates with U+FFFD and keeps valid pairs', () => {
  assert.equal(cleanText('x\uD800y'), 'x\uFFFDy');
  assert.equal(cleanText('x\uDC00'), 'x\uFFFD');
  assert.equal(cleanText('\uDC00\uD800'), '\uFFFD\uFFFD', 'a low before a high is two lone halves');
  assert.equal(cleanText('😀'), '😀');
  assert.equal(cleanText('a\uD83D'), 'a\uFFFD', 'a pair cut in half');
  // The result survives a JSON round trip that PostgreSQL's jsonb would accept.
  assert.doesNotMatch(JSON.stringify(cleanText('\uD800\u0000')), /\\u(d[89ab]|0000)/i);
});

test('cleanText normalizes to NFC', () => {
  assert.equal(cleanText('e\u0301'), '\u00E9');
  assert.equal(cleanText('\u00E9'), '\u00E9');
});

test('truncate counts code points and never splits a surrogate pair', () => {
  assert.equal(truncate('hello', 10), 'hello');
  assert.equal(truncate('hello', 3), 'hel');
  assert.equal(truncate('😀😀😀', 2), '😀😀');
  assert.equal(truncate('a😀', 1), 'a');
  assert.equal(truncate('abc', 0), '');
});

test('truncate keeps a base character with its combining marks', () => {
  const decomposed = 'ae\u0301\u0302z'; // a, e + two combining marks, z
  assert.equal(truncate(decomposed, 2), 'a', 'e without its marks would change the letter');
  assert.equal(truncate(decomposed, 4), 'ae\u0301\u0302');
  // A family emoji is one grapheme of several code points: kept whole or dropped.
  assert.equal(truncate('x👨‍👩‍👧', 3), 'x');
});

test('truncate with an ellipsis counts it within the limit', () => {
  assert.equal(truncate('abcdef', 4, '…'), 'abc…');
  assert.equal(truncate('abc', 4, '…'), 'abc');
  assert.equal([...truncate('😀'.repeat(10), 5, '…')].length, 5);
});

test('isBlank is true for whitespace and zero-width characters only', () => {
  assert.equal(isBlank(''), true);
  assert.equal(isBlank(' \t\n'), true);
  assert.equal(isBlank('\u200B\u200D\uFEFF\u2060 '), true);
  assert.equal(isBlank('\u00A0\u3000'), true);
  assert.equal(isBlank(' a '), false);
  assert.equal(isBlank('\u0301'), false, 'a combining mark alone is not blank text');
  assert.equal(isBlank('.'), false);
});
