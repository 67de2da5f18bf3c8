import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  escapeHtml,
  renderTelegramEdit,
  renderTelegramReply,
  replyLines,
  splitTelegramHtml,
  TELEGRAM_TEXT_LIMIT,
} from '../../bot/adapters/telegram/telegram.renderer.ts';
import { createCallbackCodec, type CallbackStore } from '../../bot/adapters/telegram/telegram-callback-data.ts';

function memoryStore(): CallbackStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    async set(key, value) {
      map.set(key, value);
    },
    async get(key) {
      return map.get(key) ?? null;
    },
  };
}

/** Removes tags and unescapes entities: what the reader sees. */
function visible(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** True when every opened b/i/a tag is closed in order. */
function balanced(html: string): boolean {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)(b|i|a)(?:\s[^>]*)?>/g)) {
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]!);
  }
  return stack.length === 0;
}

test('telegram renderer: escapes &, < and > in text, title and fields', async () => {
  assert.equal(escapeHtml('a < b && c > d'), 'a &lt; b &amp;&amp; c &gt; d');
  const r = await renderTelegramReply(
    { title: 'T<1>', text: 'x & <script>', fields: [{ label: 'A&B', value: '<v>' }] },
    createCallbackCodec(memoryStore()),
  );
  assert.equal(r.chunks.length, 1);
  assert.equal(r.chunks[0], '<b>T&lt;1&gt;</b>\nx &amp; &lt;script&gt;\n\n<b>A&amp;B:</b> &lt;v&gt;');
  assert.equal(r.replyMarkup, undefined);
});

test('telegram renderer: links as <a href>, unsafe schemes as text, context in <i>', async () => {
  const r = await renderTelegramReply(
    {
      text: 'see',
      links: [
        { label: 'Runbook', url: 'https://example.org/a?x=1&y="2"' },
        { label: 'bad', url: 'javascript:alert(1)' },
      ],
      context: 'ticket #42',
    },
    createCallbackCodec(memoryStore()),
  );
  assert.equal(
    r.chunks[0],
    'see\n\n<a href="https://example.org/a?x=1&amp;y=&quot;2&quot;">Runbook</a>\nbad: javascript:alert(1)\n\n<i>ticket #42</i>',
  );
});

test('telegram renderer: buttons become an inline keyboard in rows of 3 with encoded callback_data', async () => {
  const buttons = Array.from({ length: 7 }, (_, i) => ({ actionId: 'ticket.ack', label: `B${i}`, value: String(i) }));
  const r = await renderTelegramReply({ text: 'pick', buttons }, createCallbackCodec(memoryStore()));
  const rows = r.replyMarkup!.inline_keyboard;
  assert.deepEqual(rows.map((row) => row.length), [3, 3, 1]);
  assert.deepEqual(rows[0]![1], { text: 'B1', callback_data: 'ticket.ack|1' });
});

test('telegram renderer: a reply over 4096 characters is split into chunks that each fit, with nothing lost', async () => {
  const paragraph = 'Lorem ipsum dolor sit amet & <consectetur> adipiscing elit. '.repeat(30);
  const text = Array.from({ length: 12 }, (_, i) => `${i}: ${paragraph}`).join('\n');
  const reply = {
    title: 'Long report',
    text,
    fields: [{ label: 'Owner', value: 'ops' }],
    buttons: [{ actionId: 'a.b', label: 'OK', value: '1' }],
  };
  const r = await renderTelegramReply(reply, createCallbackCodec(memoryStore()));
  assert.ok(r.chunks.length >= 2, `expected a split, got ${r.chunks.length} chunk(s)`);
  for (const c of r.chunks) {
    assert.ok(c.length <= TELEGRAM_TEXT_LIMIT, `chunk of ${c.length}`);
    assert.ok(balanced(c), 'tags balanced in each chunk');
  }
  const seen = r.chunks.map(visible).join('\n').replace(/\s+/g, ' ');
  const expected = replyLines(reply).map((l) => l.map((s) => s.text).join('')).join('\n').replace(/\s+/g, ' ');
  assert.ok(seen === expected, `visible text differs (seen ${seen.length} chars, expected ${expected.length})`);
  assert.ok(r.replyMarkup, 'the keyboard is returned once, for the last chunk');
});

test('telegram renderer: one huge bold field is cut with the tag closed and reopened, at word boundaries', () => {
  const value = 'word '.repeat(100);
  const chunks = splitTelegramHtml([[{ text: 'Label:', tag: 'b' }, { text: value, tag: 'b' }]], 100);
  assert.ok(chunks.length > 5);
  for (const c of chunks) {
    assert.ok(c.length <= 100, `chunk of ${c.length}`);
    assert.ok(balanced(c));
    assert.ok(!/wor$|^d /.test(visible(c)), `no word split: ${c}`);
  }
  assert.equal(chunks.map(visible).join(''), `Label:${value}`);
});

test('telegram renderer: never splits an entity or a surrogate pair', () => {
  const text = '&'.repeat(50) + '😀'.repeat(40);
  const chunks = splitTelegramHtml([[{ text }]], 23);
  for (const c of chunks) {
    assert.ok(c.length <= 23);
    assert.ok(!/&(?!amp;)/.test(c), `broken entity in ${c}`);
    assert.ok(!/[\ud800-\udbff]$/.test(c) && !/^[\udc00-\udfff]/.test(c), 'surrogate pair kept whole');
  }
  assert.equal(chunks.map(visible).join(''), text);
});

test('telegram renderer: an empty reply with only buttons still has a text to carry them', async () => {
  const r = await renderTelegramReply({ text: '', buttons: [{ actionId: 'x.y', label: 'Go', value: '' }] }, createCallbackCodec(memoryStore()));
  assert.deepEqual(r.chunks, ['…']);
  assert.equal(r.replyMarkup!.inline_keyboard[0]![0]!.callback_data, 'x.y|');
});

test('telegram renderer: an edit that does not fit one message is cut with an ellipsis', async () => {
  const e = await renderTelegramEdit({ text: 'abcdefghij '.repeat(30) }, createCallbackCodec(memoryStore()), { limit: 50 });
  assert.ok(e.text.length <= 50);
  assert.ok(e.text.endsWith('…'));
  const short = await renderTelegramEdit({ text: 'short' }, createCallbackCodec(memoryStore()), { limit: 50 });
  assert.equal(short.text, 'short');
});
