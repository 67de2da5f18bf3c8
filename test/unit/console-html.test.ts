/** The console's template helper escapes every interpolated text and keeps only its own fragments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, withQuery } from '../../features/console/html.ts';

test('text interpolated into html is escaped, in content and in attributes', () => {
  const title = `<script>alert("x")</script> & 'q'`;
  assert.equal(html`<td title="${title}">${title}</td>`.value, '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</td>');
  assert.equal(escapeHtml('a<b'), 'a&lt;b');
});

test('fragments and lists of fragments are kept; null, undefined and false render nothing', () => {
  const rows = ['a', '<b>'].map((s) => html`<li>${s}</li>`);
  assert.equal(html`<ul>${rows}</ul>${null}${undefined}${false}${0}`.value, '<ul><li>a</li><li>&lt;b&gt;</li></ul>0');
});

test('withQuery leaves out empty values and encodes the rest', () => {
  assert.equal(withQuery('/console/tickets', { severity: 'P1', state: '', lang: undefined }), '/console/tickets?severity=P1');
  assert.equal(withQuery('/x', { assignee: 'Анна & Co' }), '/x?assignee=%D0%90%D0%BD%D0%BD%D0%B0+%26+Co');
});
