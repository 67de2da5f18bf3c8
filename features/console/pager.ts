/**
 * A list shown a page at a time: the status line ("Tickets 51–100 of 1,500") and the links to
 * the previous and next pages, plain links that keep the list's filters (no script).
 */
import { html, type Html } from './html.ts';
import { href, type PageCtx } from './layout.ts';

export interface PagerOpts {
  /** The list's path, e.g. /console/tickets. */
  path: string;
  /** The list's filters, kept in the links. */
  params: Record<string, string | undefined>;
  /** The 1-based page shown, its size, how many rows it holds and how many there are in all. */
  page: number;
  pageSize: number;
  shown: number;
  total: number;
  /** The status line's key ({from}, {to}, {total}), and the text when the page is empty. */
  rangeKey: string;
  empty: string;
}

/** The status line (before the list) and the navigation (after it; empty when all fits on one page). */
export function pager(c: PageCtx, o: PagerOpts): { status: Html; nav: Html | '' } {
  const pages = Math.max(1, Math.ceil(o.total / o.pageSize));
  const from = (o.page - 1) * o.pageSize + 1;
  const link = (n: number, key: string, rel: string) => html`<a href="${href(c, o.path, { ...o.params, page: n > 1 ? String(n) : undefined })}" rel="${rel}">${c.t(key)}</a>`;
  const range = o.shown ? c.t(o.rangeKey, { from, to: from + o.shown - 1, total: o.total }) : o.empty;
  const here = o.shown ? html` <span>${c.t('console.pager.page', { page: o.page, pages })}</span>` : '';
  // Past the last page, "previous" leads to the last one.
  const prev = o.page > 1 ? html` ${link(Math.min(o.page - 1, pages), 'console.pager.previous', 'prev')}` : '';
  const next = o.page < pages ? html` ${link(o.page + 1, 'console.pager.next', 'next')}` : '';
  return {
    status: html`<p class="muted" role="status">${range}</p>`,
    nav: prev || next ? html`<nav class="pager" aria-label="${c.t('console.pager.label')}">${here}${prev}${next}</nav>` : '',
  };
}

/** The `page` query parameter's schema: 1 to 999999. */
export const PAGE_PARAM = { type: 'string', pattern: '^[1-9][0-9]{0,5}$' } as const;
