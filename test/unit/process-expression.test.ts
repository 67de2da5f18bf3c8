import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, holds, parseExpression, ExpressionError, getPath } from '../../services/processes/expression.ts';
import { render, renderString, templateRefs, maskSecrets } from '../../services/processes/template.ts';

const scope = {
  inputs: { env: 'prod', count: 3, text: '10', flag: false, list: ['a', 'b'] },
  steps: { check: { output: { status: 200, body: { items: [{ name: 'x' }] } } } },
};

test('comparisons, logic, literals and paths evaluate as written', () => {
  const cases: [string, boolean][] = [
    ["inputs.env == 'prod'", true],
    ['inputs.env != "prod"', false],
    ['steps.check.output.status >= 200 && steps.check.output.status < 300', true],
    ['steps.check.output.status == 200 and not inputs.flag', true],
    ['inputs.flag or inputs.count > 5', false],
    ['!(inputs.count <= 2)', true],
    ["inputs.env in ['staging', 'prod']", true],
    ["inputs.list contains 'b'", true],
    ["steps.check.output.body.items[0].name == 'x'", true],
    ["steps.check.output.body.items[0]['name'] == 'x'", true],
    ['inputs.text == 10', true],
    ['inputs.text > 9', true],
    ['inputs.missing == null', true],
    ['inputs.missing', false],
    ['inputs.list.length == 2', true],
    ['steps.nothing.output.status == 200', false],
    ['-1 < 0', true],
    ['true and (false or true)', true],
  ];
  for (const [src, want] of cases) assert.equal(holds(src, scope), want, src);
});

test('no way out of the data: prototypes, constructors and calls are unreachable', () => {
  assert.equal(evaluate(parseExpression('inputs.constructor'), scope), undefined);
  assert.equal(evaluate(parseExpression('inputs.__proto__'), scope), undefined);
  assert.equal(evaluate(parseExpression("inputs['constructor']"), scope), undefined);
  assert.equal(getPath({}, ['toString']), undefined);
  assert.throws(() => parseExpression('inputs.env.toString()'), ExpressionError);
  assert.throws(() => parseExpression('process.exit(1)'), /unexpected "\("/);
});

test('syntax errors name the column', () => {
  assert.throws(() => parseExpression("inputs.env == 'prod"), /unterminated string \(at column 15\)/);
  assert.throws(() => parseExpression('inputs.env =='), /unexpected end of expression/);
  assert.throws(() => parseExpression('a = b'), /unexpected character "=" \(at column 3\)/);
  assert.throws(() => parseExpression('(a == b'), /expected "\)"/);
  assert.throws(() => parseExpression('a == b c'), /unexpected "c"/);
  assert.throws(() => parseExpression('!'.repeat(100) + 'a'), /nested too deeply/);
});

test('templates read paths, keep types when whole, and never eval', () => {
  assert.equal(renderString('{{ inputs.env }}-{{ steps.check.output.status }}', scope), 'prod-200');
  assert.equal(renderString('{{ steps.check.output.status }}', scope), 200);
  assert.deepEqual(renderString('{{ inputs.list }}', scope), ['a', 'b']);
  assert.equal(renderString('{{ inputs.missing }}!', scope), '!');
  assert.deepEqual(render({ a: ['{{ inputs.count }}'], b: 'x {{ inputs.list[1] }}' }, scope), { a: [3], b: 'x b' });
  assert.throws(() => templateRefs('{{ process.exit(1) }}'), /is not a path/);
  assert.equal(renderString('{{ inputs.constructor }}', scope), undefined);
  // Fallbacks: the first non-empty alternative wins; literals are allowed last.
  assert.equal(renderString("{{ inputs.missing ?? inputs.env }}", scope), 'prod');
  assert.equal(renderString("x{{ inputs.missing ?? 'none' }}", scope), 'xnone');
  assert.equal(renderString('{{ inputs.missing ?? 15 }}', scope), '15');
  assert.deepEqual(templateRefs('{{ inputs.a ?? vars.b }}').map((r) => r.kind === 'path' && [r.path, r.optional]), [['inputs.a', true], ['vars.b', false]]);
});

test('secrets render only when given, and are masked otherwise', () => {
  const t = 'Bearer ${env.TOKEN}';
  assert.equal(renderString(t, scope), 'Bearer ***');
  assert.equal(renderString(t, scope, { secrets: { TOKEN: 's3cret' } }), 'Bearer s3cret');
  assert.deepEqual(templateRefs(t), [{ kind: 'env', name: 'TOKEN' }]);
  assert.equal(maskSecrets('got s3cret-value back', ['s3cret-value']), 'got *** back');
});
