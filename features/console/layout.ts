/**
 * The page shell every console page shares: the lang attribute, a skip link, the site
 * navigation (one entry per section, each a line of {@link SECTIONS}), who is signed in with the sign-out form, the language switch and the
 * main landmark. Pages are plain HTML forms and links: they work without JavaScript, and
 * the strict CSP allows no script at all.
 */
import type { Locale, Translate } from '../../services/i18n/i18n.ts';
import type { Role } from '../../services/users/roles.ts';
import type { ConsoleUser } from './session.ts';
import { html, withQuery, type Html } from './html.ts';

/** One entry of the navigation. */
export interface Section {
  id: string;
  labelKey: string;
  path: string;
  /** Only these roles see the entry (and may open the section); absent: everyone signed in. */
  roles?: readonly Role[];
}

/** The console's sections, in navigation order. */
export const SECTIONS: readonly Section[] = [
  { id: 'tickets', labelKey: 'console.nav.tickets', path: '/console/tickets' },
  { id: 'alerts', labelKey: 'console.nav.alerts', path: '/console/alerts' },
  { id: 'runs', labelKey: 'console.nav.runs', path: '/console/runs' },
  { id: 'deploys', labelKey: 'console.nav.deploys', path: '/console/deploys' },
  { id: 'documents', labelKey: 'console.nav.documents', path: '/console/documents' },
  { id: 'charts', labelKey: 'console.nav.charts', path: '/console/charts' },
  { id: 'agents', labelKey: 'console.nav.agents', path: '/console/agents', roles: ['technician', 'admin'] },
  { id: 'audit', labelKey: 'console.nav.audit', path: '/console/audit', roles: ['technician', 'admin'] },
  { id: 'queues', labelKey: 'console.nav.queues', path: '/console/queues', roles: ['admin'] },
];

/** The roles that may open a section. */
export function sectionRoles(id: string): readonly Role[] | undefined {
  return SECTIONS.find((s) => s.id === id)?.roles;
}

/** What rendering one page knows about its request. */
export interface PageCtx {
  locale: Locale;
  t: Translate;
  user: ConsoleUser | null;
  /** The CSRF token of this page's forms (null on pages without forms). */
  csrf: string | null;
  /** The request's path and query (for the language switch). */
  path: string;
  query: Record<string, string>;
  /** Set when the page was asked for with ?lang=: kept on the console's own links. */
  explicitLang: Locale | null;
}

/** A console link that keeps an explicit ?lang=. */
export function href(c: PageCtx, path: string, params: Record<string, string | undefined> = {}): string {
  return withQuery(path, { ...params, lang: c.explicitLang ?? undefined });
}

/** The hidden field every POST form carries. */
export function csrfField(c: PageCtx): Html {
  return html`<input type="hidden" name="_csrf" value="${c.csrf ?? ''}">`;
}

function nav(c: PageCtx, current: string | null): Html {
  if (!c.user) return html``;
  const user = c.user;
  const items = SECTIONS.filter((s) => !s.roles || s.roles.includes(user.role)).map(
    (s) => html`<li><a href="${href(c, s.path)}"${s.id === current ? html` aria-current="page"` : ''}>${c.t(s.labelKey)}</a></li>`,
  );
  return html`<nav class="sections" aria-label="${c.t('console.nav.label')}"><ul>${items}</ul></nav>
    <div class="who"><span>${c.t('console.nav.signedInAs', { name: c.user.name, role: c.user.role })}</span>
      <form method="post" action="${href(c, '/console/logout')}">${csrfField(c)}<button type="submit">${c.t('console.nav.signOut')}</button></form></div>`;
}

function languages(c: PageCtx): Html {
  const names: Record<Locale, string> = { en: 'English', ru: 'Русский' };
  const items = (Object.keys(names) as Locale[]).map((l) =>
    l === c.locale
      ? html`<li><span lang="${l}" aria-current="true">${names[l]}</span></li>`
      : html`<li><a lang="${l}" hreflang="${l}" href="${withQuery(c.path, { ...c.query, lang: l })}">${names[l]}</a></li>`,
  );
  return html`<nav class="languages" aria-label="${c.t('console.nav.language')}"><ul>${items}</ul></nav>`;
}

/** A whole page: `title` is the document title and the one h1. */
export function page(c: PageCtx, opts: { title: string; section?: string; body: Html }): string {
  return html`<!doctype html>
<html lang="${c.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · ${c.t('console.title')}</title>
<link rel="stylesheet" href="/console/style.css">
</head>
<body>
<a class="skip" href="#main">${c.t('console.skip')}</a>
<header class="top">
<p class="brand"><a href="${href(c, '/console/tickets')}">${c.t('console.title')}</a></p>
${nav(c, opts.section ?? null)}
${languages(c)}
</header>
<main id="main">
<h1>${opts.title}</h1>
${opts.body}
</main>
</body>
</html>
`.value;
}

/** A page that only says what went wrong (a 4xx), with a way back. */
export function messagePage(c: PageCtx, title: string, text: string, back?: { path: string; label: string }): string {
  const link = back ?? (c.user ? { path: '/console/tickets', label: c.t('console.back') } : { path: '/console/login', label: c.t('console.login.again') });
  return page(c, { title, body: html`<p class="message">${text}</p><p><a href="${href(c, link.path)}">${link.label}</a></p>` });
}
