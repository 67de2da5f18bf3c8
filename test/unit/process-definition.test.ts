import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefinitions, parseDefinition, validateInputs, DefinitionsInvalidError, SHIPPED_DIR, SHIPPED_SECRET_ENV } from '../../services/processes/definition.ts';
import { hostAllowed } from '../../services/processes/steps.ts';
import { parseRunText } from '../../features/processes/module.ts';
import { environmentWords, runInputs } from '../../features/processes/parse.ts';
import { renderProgress } from '../../services/processes/render.ts';
import { translator } from '../../services/i18n/i18n.ts';

const opts = { secretEnv: ['DEPLOY_HOOK_TOKEN'] };
const good = `name: demo
inputs:
  url: { type: string, required: true }
steps:
  - id: check
    kind: http
    url: "{{ inputs.url }}"
    headers:
      Authorization: "Bearer \${env.DEPLOY_HOOK_TOKEN}"
  - id: decide
    kind: branch
    cases:
      - if: steps.check.output.status == 200
        goto: done
  - id: done
    kind: notify
    text: "ok"
`;

function errorOf(src: string, file = 'x.yaml'): string {
  try {
    parseDefinition(file, src, opts);
  } catch (err) {
    assert.ok(err instanceof DefinitionsInvalidError);
    return err.message;
  }
  return 'no error';
}

test('a valid definition parses, with a content hash as its version key', () => {
  const a = parseDefinition('a.yaml', good, opts);
  const b = parseDefinition('b.yaml', good, opts);
  const c = parseDefinition('a.yaml', good.replace('"ok"', '"fine"'), opts);
  assert.equal(a.name, 'demo');
  assert.equal(a.hash, b.hash);
  assert.notEqual(a.hash, c.hash);
});

test('a broken YAML file names the file and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-def-'));
  writeFileSync(join(dir, 'ok.yaml'), good);
  writeFileSync(join(dir, 'broken.yaml'), 'name: broken\nsteps:\n  - id: a\n    kind: notify\n   text: "x"\n');
  assert.throws(() => loadDefinitions([dir], opts), (err: Error) => {
    assert.match(err.message, new RegExp(`${join(dir, 'broken.yaml').replace(/[.]/g, '\\.')}:5: invalid YAML`));
    return true;
  });
});

test('semantic errors name the file, the line and the field', () => {
  assert.match(errorOf(good.replace('goto: done', 'goto: nowhere')), /x\.yaml:14: goto "nowhere" is not a step of the same sequence/);
  assert.match(errorOf(good.replace('kind: notify', 'kind: shout')), /x\.yaml:16: steps\.2\.kind: /);
  assert.match(errorOf(good.replace('== 200', '=== 200')), /x\.yaml:13: expression: unexpected character "="/);
  assert.match(errorOf(good.replace('DEPLOY_HOOK_TOKEN', 'AWS_SECRET')), /x\.yaml:9: \$\{env\.AWS_SECRET\} is not in processes\.secretEnv/);
  assert.match(errorOf(good.replace('text: "ok"', 'text: "${env.DEPLOY_HOOK_TOKEN}"')), /x\.yaml:17: \$\{env\.DEPLOY_HOOK_TOKEN\} is only allowed in http steps/);
  assert.match(errorOf(good.replace('"{{ inputs.url }}"', '"{{ inputs.uri }}"')), /x\.yaml:7: input "uri" is not declared/);
  assert.match(errorOf(good.replace('steps.check.output', 'steps.chek.output')), /x\.yaml:13: "steps\.chek" names no step/);
  assert.match(errorOf(good.replace('id: done', 'id: check')), /step id "check" is used twice/);
  assert.match(errorOf(good.replace('name: demo', 'name: Demo_1')), /x\.yaml:1: name: lower-case letters/);
  assert.match(errorOf(good + 'triggers:\n  schedules:\n    - cron: "every day"\n'), /x\.yaml:20: cron "every day"/);
  assert.match(errorOf('- just\n- a list\n'), /x\.yaml:1: a process definition is a mapping/);
});

test('two files with one name in a folder are refused; a later folder overrides', () => {
  const a = mkdtempSync(join(tmpdir(), 'a2d2-def-'));
  const b = mkdtempSync(join(tmpdir(), 'a2d2-def-'));
  writeFileSync(join(a, 'one.yaml'), good);
  writeFileSync(join(b, 'one.yaml'), good.replace('"ok"', '"override"'));
  const loaded = loadDefinitions([a, b], opts);
  assert.equal(loaded.get('demo')!.file, join(b, 'one.yaml'));
  writeFileSync(join(b, 'two.yml'), good);
  assert.throws(() => loadDefinitions([b], opts), /process "demo" is also defined in/);
});

test('the shipped processes are valid and say which settings they need', () => {
  const loaded = loadDefinitions([SHIPPED_DIR], { secretEnv: [...SHIPPED_SECRET_ENV] });
  assert.deepEqual([...loaded.keys()].sort(), ['document-review', 'incident', 'rollback', 'smoke-test']);
  assert.deepEqual(loaded.get('rollback')!.requiredVars, ['deployHookUrl', 'healthUrl', 'opsChannel']);
  assert.deepEqual(loaded.get('smoke-test')!.requiredVars, ['appUrl']);
  assert.deepEqual(loaded.get('incident')!.requiredVars, ['opsChannel']);
  assert.deepEqual(loaded.get('document-review')!.requiredVars, []);
});

test('inputs are validated and coerced, naming the field', () => {
  const def = { inputs: { url: { type: 'string' as const, required: true }, n: { type: 'number' as const, required: false, default: 2 }, on: { type: 'boolean' as const, required: false }, env: { type: 'string' as const, required: false, enum: ['a', 'b'] } } };
  assert.deepEqual(validateInputs(def, { url: 'x', n: '5', on: 'yes' }), { ok: true, values: { url: 'x', n: 5, on: true } });
  assert.deepEqual(validateInputs(def, { url: 'x' }), { ok: true, values: { url: 'x', n: 2 } });
  assert.deepEqual(validateInputs(def, {}), { ok: false, problem: { field: 'url', reason: 'required' } });
  assert.deepEqual(validateInputs(def, { url: 'x', n: 'many' }), { ok: false, problem: { field: 'n', reason: 'expected a number' } });
  assert.deepEqual(validateInputs(def, { url: 'x', env: 'c' }), { ok: false, problem: { field: 'env', reason: 'one of a, b' } });
  assert.deepEqual(validateInputs(def, { url: 'x', typo: 1 }), { ok: false, problem: { field: 'typo', reason: 'unknown input' } });
});

test('the host allow-list matches host, wildcard and port', () => {
  const allow = ['api.example.com', '*.internal.example', '127.0.0.1:8080', 'hooks.example.com:*'];
  assert.ok(hostAllowed(new URL('https://api.example.com/x'), allow));
  assert.ok(!hostAllowed(new URL('https://evil-api.example.com/x'), allow));
  assert.ok(hostAllowed(new URL('http://a.b.internal.example/'), allow));
  assert.ok(!hostAllowed(new URL('http://internal.example.evil.com/'), allow));
  assert.ok(hostAllowed(new URL('http://127.0.0.1:8080/'), allow));
  assert.ok(!hostAllowed(new URL('http://127.0.0.1:8081/'), allow));
  assert.ok(hostAllowed(new URL('http://hooks.example.com:9999/'), allow));
  assert.ok(!hostAllowed(new URL('http://api.example.com@evil.com/'), allow));
});

test('chat arguments: key=value pairs, quoted values and --dry-run', () => {
  assert.deepEqual(parseRunText('smoke-test url=https://x.io note="two words" --dry-run'), { name: 'smoke-test', inputs: { url: 'https://x.io', note: 'two words' }, dryRun: true, words: [] });
  assert.deepEqual(parseRunText("rollback service='a b'"), { name: 'rollback', inputs: { service: 'a b' }, dryRun: false, words: [] });
  assert.equal(parseRunText('rollback oops').bad, 'oops');
});

test('chat arguments: an environment in words is the env input of a process that takes one', () => {
  const withEnv = ['url', 'env'];
  assert.deepEqual(runInputs(parseRunText('smoke-test on staging'), withEnv), { inputs: { env: 'staging' } });
  assert.deepEqual(runInputs(parseRunText('smoke-test for prod url=https://x.io'), withEnv), { inputs: { env: 'production', url: 'https://x.io' } });
  assert.deepEqual(runInputs(parseRunText('smoke-test на стейдже'), withEnv), { inputs: { env: 'staging' } });
  assert.deepEqual(runInputs(parseRunText('smoke-test on eu-west'), withEnv), { inputs: { env: 'eu-west' } });
  assert.deepEqual(runInputs(parseRunText('smoke-test staging'), withEnv), { inputs: { env: 'staging' } });
  // env=... typed explicitly wins over the words.
  assert.deepEqual(runInputs(parseRunText('smoke-test on staging env=dev'), withEnv), { inputs: { env: 'dev' } });
  // Words that name no environment, or a process without an env input: refused, naming the word.
  assert.equal(runInputs(parseRunText('smoke-test on the moon'), withEnv).bad, 'on');
  assert.equal(runInputs(parseRunText('smoke-test whatever'), withEnv).bad, 'whatever');
  assert.equal(runInputs(parseRunText('rollback on staging'), ['service', 'version']).bad, 'on');
  assert.equal(environmentWords(['to', 'production']), 'production');
});

test('the progress message lists every step with its state, in English and Russian', () => {
  const def = parseDefinition('x.yaml', good, opts).def;
  const run = { id: 7, processName: 'demo', version: 2, status: 'running', error: null, startedBy: 'ann', trigger: 'chat', createdAt: new Date(), finishedAt: null };
  const rows = [
    { stepId: 'check', iteration: 0, status: 'succeeded', attempts: 2, error: null },
    { stepId: 'decide', iteration: 0, status: 'running', attempts: 1, error: null },
  ];
  const en = renderProgress(translator('en'), run, def, rows);
  assert.equal(en.title, 'demo · run #7 · running');
  assert.equal(en.text, '✓ check — done (2 attempts)\n▶ decide — running\n· done');
  assert.equal(en.buttons?.[0]?.actionId, 'process.cancel');
  const ru = renderProgress(translator('ru'), { ...run, status: 'failed', error: 'decide: boom' }, def, rows);
  assert.match(ru.title!, /запуск #7 · ошибка/);
  assert.match(ru.text, /Остановлен: decide: boom/);
  assert.equal(ru.buttons, undefined);
});

test('a duration without a unit is refused, naming the file, line and key', () => {
  const src = good.replace('    kind: http\n', '    kind: http\n    timeout: 30\n');
  const msg = errorOf(src, 'timeouts.yaml');
  assert.match(msg, /timeouts\.yaml:\d+/);
  assert.match(msg, /timeout/);
  assert.match(msg, /unit/);
  assert.equal(errorOf(good.replace('    kind: http\n', '    kind: http\n    timeout: 30s\n')), 'no error');
});
