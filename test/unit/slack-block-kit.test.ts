import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLOCK_LIMITS, chunkText, escapeMrkdwn, renderBlockKit } from '../../bot/adapters/slack/block-kit.renderer.ts';
import { decodeActionId } from '../../bot/adapters/slack/slack-normalizer.ts';

type AnyBlock = Record<string, any>;

test('title becomes a header, text an escaped mrkdwn section, and the fallback text has both', () => {
  const m = renderBlockKit({ title: 'Ticket #42', text: 'Use <b> & "quotes" > here' });
  const blocks = m.blocks as AnyBlock[];
  assert.deepEqual(blocks[0], { type: 'header', text: { type: 'plain_text', text: 'Ticket #42', emoji: true } });
  assert.deepEqual(blocks[1], { type: 'section', text: { type: 'mrkdwn', text: 'Use &lt;b&gt; &amp; "quotes" &gt; here' } });
  assert.equal(m.text, 'Ticket #42\nUse &lt;b&gt; &amp; "quotes" &gt; here');
});

test('mentions and links typed in text are neutralised', () => {
  const m = renderBlockKit({ text: 'hi <!channel> <!here> <@U123> <https://evil.example|click>' });
  const text = (m.blocks[0] as AnyBlock).text.text as string;
  assert.equal(text.includes('<'), false);
  assert.equal(text.includes('>'), false);
  assert.match(text, /&lt;!channel&gt;/);
  assert.equal(m.text.includes('<!channel>'), false);
});

test('fields become section fields, ten per section, labels bold and escaped', () => {
  const fields = Array.from({ length: 12 }, (_, i) => ({ label: `L<${i}>`, value: `v&${i}` }));
  const blocks = renderBlockKit({ text: 'x', fields }).blocks as AnyBlock[];
  const sections = blocks.filter((b) => b.fields);
  assert.equal(sections.length, 2);
  assert.equal(sections[0]!.fields.length, 10);
  assert.equal(sections[1]!.fields.length, 2);
  assert.deepEqual(sections[0]!.fields[0], { type: 'mrkdwn', text: '*L&lt;0&gt;*\nv&amp;0' });
});

test('buttons become an actions block carrying our action id, value and style', () => {
  const blocks = renderBlockKit({
    text: 'Confirm?',
    buttons: [
      { actionId: 'core.confirm', label: 'Yes', value: 'abc', style: 'primary' },
      { actionId: 'core.cancel', label: 'No', value: 'abc' },
    ],
  }).blocks as AnyBlock[];
  const actions = blocks.find((b) => b.type === 'actions')!;
  assert.deepEqual(actions.elements, [
    { type: 'button', text: { type: 'plain_text', text: 'Yes', emoji: true }, action_id: 'core.confirm', value: 'abc', style: 'primary' },
    { type: 'button', text: { type: 'plain_text', text: 'No', emoji: true }, action_id: 'core.cancel', value: 'abc' },
  ]);
});

test('repeated action ids in one block get unique suffixes that decode back', () => {
  const blocks = renderBlockKit({
    text: 'pick',
    buttons: [
      { actionId: 'ticket.open', label: '#1', value: '1' },
      { actionId: 'ticket.open', label: '#2', value: '2' },
      { actionId: 'other', label: 'o', value: 'o' },
    ],
  }).blocks as AnyBlock[];
  const ids = blocks.find((b) => b.type === 'actions')!.elements.map((e: AnyBlock) => e.action_id as string);
  assert.equal(new Set(ids).size, 3);
  assert.deepEqual(ids.map(decodeActionId), ['ticket.open', 'ticket.open', 'other']);
  assert.equal(ids[2], 'other');
});

test('more than 25 buttons are split over several actions blocks', () => {
  const buttons = Array.from({ length: 30 }, (_, i) => ({ actionId: `a${i}`, label: `b${i}`, value: String(i) }));
  const actions = (renderBlockKit({ text: 'x', buttons }).blocks as AnyBlock[]).filter((b) => b.type === 'actions');
  assert.deepEqual(actions.map((a) => a.elements.length), [25, 5]);
});

test('links render as <url|label>, unsafe schemes are dropped, context is a context block', () => {
  const m = renderBlockKit({
    text: 'see',
    links: [
      { label: 'Runbook <1>', url: 'https://wiki.example/run?a=1|2' },
      { label: 'bad', url: 'javascript:alert(1)' },
    ],
    context: 'updated <now>',
  });
  const blocks = m.blocks as AnyBlock[];
  const linkSection = blocks[1]!;
  assert.equal(linkSection.text.text, '<https://wiki.example/run?a=1%7C2|Runbook &lt;1&gt;>');
  assert.deepEqual(blocks[2], { type: 'context', elements: [{ type: 'mrkdwn', text: 'updated &lt;now&gt;' }] });
});

test('long text is split into sections within the limit without cutting an entity', () => {
  const text = `${'a'.repeat(2998)}&&&& ${'b'.repeat(4000)}`;
  const sections = (renderBlockKit({ text }).blocks as AnyBlock[]).filter((b) => b.type === 'section');
  assert.ok(sections.length >= 3);
  for (const s of sections) {
    const t = s.text.text as string;
    assert.ok(t.length <= BLOCK_LIMITS.sectionText, `section of ${t.length}`);
    assert.doesNotMatch(t, /&(?:a|am|l|g)?$/);
  }
  assert.equal(sections.map((s) => s.text.text).join('').replace(/\s/g, ''), escapeMrkdwn(text).replace(/\s/g, ''));
});

test('chunkText prefers line breaks', () => {
  assert.deepEqual(chunkText('aaaa\nbbbb\ncc', 10), ['aaaa\nbbbb', 'cc']);
});

test('an over-long reply keeps its buttons and stays within 50 blocks', () => {
  const m = renderBlockKit({ text: 'x '.repeat(100_000), buttons: [{ actionId: 'a', label: 'A', value: '1' }], context: 'ctx' });
  assert.equal(m.blocks.length, BLOCK_LIMITS.blocks);
  assert.equal((m.blocks.at(-2) as AnyBlock).type, 'actions');
  assert.equal((m.blocks.at(-1) as AnyBlock).type, 'context');
  assert.ok(m.text.length <= BLOCK_LIMITS.fallbackText);
});

test('header and button labels are truncated to Slack limits', () => {
  const m = renderBlockKit({ title: 't'.repeat(200), text: 'x', buttons: [{ actionId: 'a', label: 'l'.repeat(100), value: 'v' }] });
  assert.equal(((m.blocks[0] as AnyBlock).text.text as string).length, BLOCK_LIMITS.headerText);
  const btn = (m.blocks as AnyBlock[]).find((b) => b.type === 'actions')!.elements[0];
  assert.equal((btn.text.text as string).length, BLOCK_LIMITS.buttonText);
});

test('a reply with only buttons still has fallback text and no empty section', () => {
  const m = renderBlockKit({ text: '', buttons: [{ actionId: 'a', label: 'A', value: '1' }] });
  assert.ok(m.text.length > 0);
  assert.deepEqual((m.blocks as AnyBlock[]).map((b) => b.type), ['actions']);
});
