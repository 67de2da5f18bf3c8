/**
 * The documents pages' markup: the search form, a card per document (category, summary, its
 * extracted fields, the latest file's download link), and one document with every field and
 * each version's file. Field names and categories are said in the catalogue's words.
 */
import { formatTime } from '../../services/tickets/ticket.render.ts';
import { hasMessage } from '../../services/i18n/i18n.ts';
import { html, type Html } from './html.ts';
import { href, page, type PageCtx } from './layout.ts';

interface FieldView {
  name: string;
  value: string;
  normalized: string;
  primary: boolean;
}

/** A document as its card shows it. */
export interface DocumentCard {
  number: number;
  title: string;
  latest: {
    version: number;
    fileName: string;
    category: string | null;
    confidence: number | null;
    categorySource: string | null;
    summary: string | null;
    stage: string;
    language: string | null;
    expiresOn: Date | null;
    fields: FieldView[];
  };
  versions: { version: number; fileName: string; mimeType: string; sizeBytes: number; createdAt: Date }[];
}

const when = (c: PageCtx, d: Date, tz: string) => html`<time datetime="${d.toISOString()}">${formatTime(d, c.locale, tz)}</time>`;
const fieldLabel = (c: PageCtx, name: string) => (hasMessage(`documents.field.${name}`) ? c.t(`documents.field.${name}`) : name);
const fileHref = (c: PageCtx, number: number, version: number) => href(c, `/console/documents/${number}/versions/${version}/file`);

function size(c: PageCtx, bytes: number): string {
  return bytes >= 1_048_576 ? c.t('console.documents.mib', { n: (bytes / 1_048_576).toFixed(1) }) : c.t('console.documents.kib', { n: Math.max(1, Math.round(bytes / 1024)) });
}

function category(c: PageCtx, d: DocumentCard): string {
  const v = d.latest;
  if (v.stage !== 'done') return c.t('documents.list.processing');
  const name = c.t(`documents.category.${v.category ?? 'other'}`);
  if (v.categorySource === 'correction') return c.t('documents.card.categoryCorrected', { category: name });
  return c.t('documents.card.categoryValue', { category: name, confidence: v.confidence !== null ? Math.round(v.confidence * 100) : 0 });
}

/** The extracted fields: on a card the primary ones with the line items counted (as the chat card), else all. */
function fields(c: PageCtx, d: DocumentCard, all: boolean): Html {
  const shown = d.latest.fields.filter((f) => all || (f.primary && f.name !== 'item'));
  const lines = all ? 0 : d.latest.fields.filter((f) => f.name === 'item').length;
  if (!shown.length && !lines) return html`<p class="muted">${c.t('console.documents.noFields')}</p>`;
  const items = shown.map((f) => html`<dt>${fieldLabel(c, f.name)}</dt><dd data-field="${f.name}">${f.normalized || f.value}</dd>`);
  const count = lines ? html`<dt>${c.t('documents.field.items')}</dt><dd data-field="items">${lines}</dd>` : '';
  return html`<dl class="details fields">${items}${count}</dl>`;
}

function card(c: PageCtx, d: DocumentCard): Html {
  const v = d.latest;
  const link = href(c, `/console/documents/${d.number}`);
  const file = d.versions[0]!;
  return html`<article class="card" data-document="${d.number}" aria-labelledby="doc-${d.number}">
<h3 id="doc-${d.number}"><a href="${link}">${c.t('documents.card.title', { number: d.number, title: d.title })}</a></h3>
<p><span class="state">${category(c, d)}</span></p>
<p class="description">${v.summary ?? c.t('documents.card.noSummary')}</p>
${fields(c, d, false)}
<p><a href="${fileHref(c, d.number, file.version)}" download>${c.t('console.documents.download', { file: file.fileName, size: size(c, file.sizeBytes) })}</a></p>
</article>`;
}

/** The documents list: search form and cards. */
export function documentsPage(c: PageCtx, o: { query: string; cards: DocumentCard[]; timeZone: string }): string {
  const form = html`<form class="filters" method="get" action="/console/documents" role="search" aria-label="${c.t('console.documents.search')}">
${c.explicitLang ? html`<input type="hidden" name="lang" value="${c.explicitLang}">` : ''}
<div><label for="f-q">${c.t('console.documents.words')}</label><input id="f-q" name="q" type="search" value="${o.query}"></div>
<div><button type="submit">${c.t('console.documents.searchButton')}</button> <a href="${href(c, '/console/documents')}">${c.t('console.tickets.reset')}</a></div></form>`;
  const heading = o.query ? c.t('console.documents.found', { query: o.query, count: o.cards.length }) : c.t('console.documents.latest');
  const none = o.query ? c.t('documents.search.none', { query: o.query }) : c.t('documents.list.empty');
  const body = o.cards.length ? html`<div class="cards">${o.cards.map((d) => card(c, d))}</div>` : html`<p>${none}</p>`;
  return page(c, { title: c.t('console.documents.title'), section: 'documents', body: html`<h2>${c.t('console.documents.search')}</h2>${form}<h2 role="status">${heading}</h2>${body}` });
}

/** One document: its card with every field and each version's file. */
export function documentPage(c: PageCtx, d: DocumentCard, tz: string): string {
  const v = d.latest;
  const rows = d.versions.map(
    (x) => html`<tr data-version="${x.version}"><th scope="row">${x.version}</th><td>${x.fileName}</td><td>${x.mimeType}</td><td>${size(c, x.sizeBytes)}</td><td>${when(c, x.createdAt, tz)}</td>
<td><a href="${fileHref(c, d.number, x.version)}" download>${c.t('console.documents.downloadShort', { version: x.version })}</a></td></tr>`,
  );
  const item = (key: string, value: Html | string) => html`<dt>${c.t(key)}</dt><dd>${value}</dd>`;
  return page(c, {
    title: c.t('documents.card.title', { number: d.number, title: d.title }),
    section: 'documents',
    body: html`<h2>${c.t('console.ticket.details')}</h2><dl class="details">${item('documents.card.category', category(c, d))}
${item('console.documents.language', v.language ?? '—')}${v.expiresOn ? item('console.documents.expires', v.expiresOn.toISOString().slice(0, 10)) : ''}</dl>
<h2>${c.t('console.documents.summary')}</h2><p class="description">${v.summary ?? c.t('documents.card.noSummary')}</p>
<h2>${c.t('console.documents.fields')}</h2>${fields(c, d, true)}
<h2>${c.t('console.documents.versions')}</h2><table data-table="versions"><caption>${c.t('console.documents.versionsCaption', { count: d.versions.length })}</caption><thead><tr>
<th scope="col">${c.t('console.documents.version')}</th><th scope="col">${c.t('console.documents.file')}</th><th scope="col">${c.t('console.documents.type')}</th>
<th scope="col">${c.t('console.documents.size')}</th><th scope="col">${c.t('console.documents.uploaded')}</th><th scope="col">${c.t('console.documents.download.col')}</th>
</tr></thead><tbody>${rows}</tbody></table>`,
  });
}
