/**
 * The deploys page's markup: a GET filter form (environment, service), then one section per
 * environment with what each service runs now and the latest deployments, each with its
 * states in words and the times it reached them (the row's history).
 */
import { formatTime } from '../../services/tickets/ticket.render.ts';
import { html, type Html } from './html.ts';
import { href, page, type PageCtx } from './layout.ts';
import type { DeployView } from '../../services/alerts/alert-render.ts';

/** A stored deployment as the page reads it: what a deploy card shows, plus its row's own fields. */
export interface DeployRow extends DeployView {
  id: string;
  source: string;
  updatedAt: Date;
}

/** What a service runs now, as the "runs now" table shows it. */
export type CurrentRow = Pick<DeployRow, 'service' | 'environment' | 'version' | 'url' | 'actor' | 'updatedAt'> & {
  /** How many services have a successful deployment in the environment (when only the first are read). */
  servicesInEnvironment?: number;
};

/** One environment's section. */
export interface EnvironmentView {
  environment: string;
  /** Each service's latest successful deployment. */
  current: CurrentRow[];
  /** How many services run in the environment (more than `current` holds when only the first are listed). */
  services: number;
  /** The latest deployments, newest first. */
  recent: DeployRow[];
  /** Whether the environment has more of them than `recent` holds (the overview shows its latest few). */
  moreRecent?: boolean;
}

export interface DeploysPageOpts {
  filters: { environment?: string; service?: string };
  environments: string[];
  views: EnvironmentView[];
  timeZone: string;
}

const when = (c: PageCtx, d: Date, tz: string) => html`<time datetime="${d.toISOString()}">${formatTime(d, c.locale, tz)}</time>`;
const state = (c: PageCtx, s: string) => c.t(`alerts.deploy.state.${s}`);

/** A link to the deployment's page, only for a web address (never a script URL). */
function version(d: Pick<DeployRow, 'version' | 'url'>): Html {
  const v = d.version || '—';
  return d.url && /^https?:\/\//i.test(d.url) ? html`<a href="${d.url}" rel="noreferrer">${v}</a>` : html`${v}`;
}

function history(c: PageCtx, d: DeployRow, tz: string): Html {
  const steps = Array.isArray(d.history) ? (d.history as { status?: unknown; at?: unknown }[]) : [];
  const items = steps
    .filter((h) => typeof h.status === 'string' && typeof h.at === 'string' && !Number.isNaN(Date.parse(h.at)))
    .map((h) => html`<li>${state(c, h.status as string)} ${when(c, new Date(h.at as string), tz)}</li>`);
  return items.length ? html`<ol class="history">${items}</ol>` : html`—`;
}

function recentTable(c: PageCtx, v: EnvironmentView, tz: string): Html {
  if (!v.recent.length) return html`<p>${c.t('console.deploys.none')}</p>`;
  const rows = v.recent.map(
    (d) => html`<tr data-deploy="${d.id}" data-status="${d.status}" class="${d.status === 'failure' ? 'breached' : ''}"><th scope="row">${d.service}</th><td>${version(d)}</td>
<td><span class="state">${state(c, d.status)}</span></td><td>${d.actor ?? '—'}</td><td>${when(c, d.createdAt, tz)}</td><td>${history(c, d, tz)}</td><td>${d.source}</td></tr>`,
  );
  return html`<table data-table="recent"><caption>${c.t('console.deploys.recentCaption', { environment: v.environment, count: v.recent.length })}</caption><thead><tr>
<th scope="col">${c.t('console.alerts.service')}</th><th scope="col">${c.t('alerts.deploy.version')}</th><th scope="col">${c.t('alerts.deploy.status')}</th>
<th scope="col">${c.t('alerts.deploy.actor')}</th><th scope="col">${c.t('console.deploys.started')}</th><th scope="col">${c.t('console.deploys.history')}</th><th scope="col">${c.t('console.deploys.source')}</th>
</tr></thead><tbody>${rows}</tbody></table>${
    v.moreRecent ? html`<p class="muted"><a href="${href(c, '/console/deploys', { environment: v.environment })}">${c.t('console.deploys.moreRecent', { environment: v.environment })}</a></p>` : ''
  }`;
}

function currentTable(c: PageCtx, v: EnvironmentView, tz: string): Html {
  if (!v.current.length) return html`<p>${c.t('console.deploys.noneSucceeded')}</p>`;
  const more =
    v.services > v.current.length
      ? html`<p class="muted"><a href="${href(c, '/console/deploys', { environment: v.environment })}">${c.t('console.deploys.moreServices', { shown: v.current.length, total: v.services, environment: v.environment })}</a></p>`
      : '';
  const rows = v.current.map((d) => html`<tr data-current="${d.service}"><th scope="row">${d.service}</th><td>${version(d)}</td><td>${d.actor ?? '—'}</td><td>${when(c, d.updatedAt, tz)}</td></tr>`);
  return html`<table data-table="current"><caption>${c.t('console.deploys.currentCaption', { environment: v.environment })}</caption><thead><tr>
<th scope="col">${c.t('console.alerts.service')}</th><th scope="col">${c.t('alerts.deploy.version')}</th><th scope="col">${c.t('alerts.deploy.actor')}</th><th scope="col">${c.t('console.deploys.deployedAt')}</th>
</tr></thead><tbody>${rows}</tbody></table>${more}`;
}

function filterForm(c: PageCtx, o: DeploysPageOpts): Html {
  const f = o.filters;
  const options = [html`<option value="">${c.t('console.tickets.any')}</option>`, ...o.environments.map((e) => html`<option value="${e}"${e === f.environment ? html` selected` : ''}>${e}</option>`)];
  return html`<form class="filters" method="get" action="/console/deploys" role="search" aria-label="${c.t('console.tickets.filters')}">
${c.explicitLang ? html`<input type="hidden" name="lang" value="${c.explicitLang}">` : ''}
<div><label for="f-environment">${c.t('console.deploys.environment')}</label><select id="f-environment" name="environment">${options}</select></div>
<div><label for="f-service">${c.t('console.alerts.service')}</label><input id="f-service" name="service" type="text" value="${f.service ?? ''}"></div>
<div><button type="submit">${c.t('console.tickets.apply')}</button> <a href="${href(c, '/console/deploys')}">${c.t('console.tickets.reset')}</a></div></form>`;
}

/** The deploys page. */
export function deploysPage(c: PageCtx, o: DeploysPageOpts): string {
  const sections = o.views.map(
    (v, i) => html`<section data-environment="${v.environment}" aria-labelledby="env-${i}"><h2 id="env-${i}">${c.t('console.deploys.envHeading', { environment: v.environment })}</h2>
${currentTable(c, v, o.timeZone)}${recentTable(c, v, o.timeZone)}</section>`,
  );
  const body = o.views.length ? html`${sections}` : html`<p>${c.t('alerts.deploys.empty')}</p>`;
  return page(c, { title: c.t('console.deploys.title'), section: 'deploys', body: html`<h2>${c.t('console.tickets.filters')}</h2>${filterForm(c, o)}${body}` });
}
