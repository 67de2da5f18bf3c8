import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalog } from '../../services/i18n/catalog.ts';
import { translate, normalizeLocale } from '../../services/i18n/i18n.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every message exists in English and Russian with the same placeholders', () => {
  const en = Object.keys(catalog.en).sort();
  const ru = Object.keys(catalog.ru).sort();
  assert.deepEqual(ru.filter((k) => !en.includes(k)), [], 'keys only in ru');
  assert.deepEqual(en.filter((k) => !ru.includes(k)), [], 'keys only in en');
  for (const k of en) {
    assert.deepEqual(placeholders(catalog.ru[k]!), placeholders(catalog.en[k]!), `placeholders of ${k}`);
    assert.ok(catalog.en[k]!.trim().length > 0 && catalog.ru[k]!.trim().length > 0, `empty message ${k}`);
  }
  assert.ok(en.length > 30);
});

test('Russian messages are in Russian', () => {
  const latinOnly = Object.entries(catalog.ru).filter(([k, v]) => !/[а-яё]/i.test(v) && !k.endsWith('.setEn') && v.replace(/\{\w+\}/g, '').trim().length > 12);
  assert.deepEqual(latinOnly.map(([k]) => k), []);
});

test('interpolation and locale normalisation', () => {
  assert.equal(translate('en', 'core.whoami.text', { name: 'Ann', role: 'admin' }), 'You are Ann, role: admin.');
  assert.equal(translate('ru', 'core.whoami.text', { name: 'Аня', role: 'admin' }), 'Вы — Аня, роль: admin.');
  assert.equal(translate('ru', 'no.such.key'), 'no.such.key');
  assert.equal(normalizeLocale('ru-RU'), 'ru');
  assert.equal(normalizeLocale('en_US'), 'en');
  assert.equal(normalizeLocale('de', 'ru'), 'ru');
  assert.equal(normalizeLocale(undefined), 'en');
});
