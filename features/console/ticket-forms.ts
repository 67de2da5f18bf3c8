/**
 * The forms of one ticket's page, shown only to roles the chat's specs allow: Acknowledge
 * (a new ticket), Assign (to me, or to a person from the picker), Resolve with an optional
 * note (an open ticket), and Comment. Plain POST forms with their CSRF token; no script.
 */
import type { Ticket } from '../../generated/prisma/client.ts';
import { DONE_STATUSES } from '../../services/tickets/ticket.render.ts';
import { html, type Html } from './html.ts';
import { csrfField, href, type PageCtx } from './layout.ts';

/** Which forms the viewer's role may use (from the registry's specs). */
export interface TicketForms {
  ack: boolean;
  assign: boolean;
  assignMe: boolean;
  resolve: boolean;
  comment: boolean;
}

/** A person the picker offers. */
export interface Assignable {
  id: string;
  name: string;
}

/** The picker's people: the first of those who can take tickets (matching `text` when typed), and whether there are more. */
export interface People {
  list: Assignable[];
  more: boolean;
  text: string;
}

function form(c: PageCtx, t: Ticket, op: string, body: Html): Html {
  return html`<form class="action" method="post" action="${href(c, `/console/tickets/${t.id}/${op}`)}" data-form="${op}">${csrfField(c)}${body}</form>`;
}

/** A GET form that reloads the page with the picker narrowed to names containing the text (no script needed). */
function findForm(c: PageCtx, t: Ticket, people: People): Html {
  const note = people.text && !people.list.length ? c.t('console.ticket.pickerNone', { text: people.text }) : people.more ? c.t('console.ticket.pickerMore', { count: people.list.length }) : '';
  return html`<form class="action" method="get" action="/console/tickets/${t.id}" role="search" data-form="find-person">
${c.explicitLang ? html`<input type="hidden" name="lang" value="${c.explicitLang}">` : ''}<label for="find-person">${c.t('console.ticket.findPerson')}</label>
<input id="find-person" name="people" type="search" maxlength="100" value="${people.text}"> <button type="submit">${c.t('console.ticket.find')}</button>
${note ? html`<p class="muted" role="status">${note}</p>` : ''}</form>`;
}

function assignForm(c: PageCtx, t: Ticket, f: TicketForms, people: People): Html {
  const me = f.assignMe ? html`<option value="me">${c.t('console.ticket.assignMe')}</option>` : '';
  const others = f.assign ? people.list.filter((p) => p.id !== c.user?.id).map((p) => html`<option value="${p.id}"${p.id === t.assigneeUserId ? html` selected` : ''}>${p.name}</option>`) : [];
  if (!me && !others.length) return f.assign && people.text ? findForm(c, t, people) : html``;
  const assign = form(
    c,
    t,
    'assign',
    html`<label for="assignee">${c.t('console.ticket.assignTo')}</label><select id="assignee" name="assignee">${me}${others}</select>
<button type="submit">${c.t('console.ticket.assign')}</button>`,
  );
  return f.assign ? html`${findForm(c, t, people)}${assign}` : assign;
}

/** The actions section of a ticket's page. */
export function ticketForms(c: PageCtx, t: Ticket, f: TicketForms, people: People): Html {
  const open = !DONE_STATUSES.includes(t.status);
  const parts: Html[] = [];
  if (f.ack && t.status === 'new') parts.push(form(c, t, 'ack', html`<button type="submit">${c.t('console.ticket.ack')}</button>`));
  if (open) parts.push(assignForm(c, t, f, people));
  if (open && f.resolve) {
    parts.push(
      form(c, t, 'resolve', html`<label for="resolve-note">${c.t('console.ticket.resolveNote')}</label><input id="resolve-note" name="note" type="text" maxlength="2000">
<button type="submit">${c.t('console.ticket.resolve')}</button>`),
    );
  }
  if (f.comment) {
    parts.push(
      form(c, t, 'comment', html`<label for="comment-text">${c.t('console.ticket.commentLabel')}</label><textarea id="comment-text" name="text" rows="3" maxlength="10000" required></textarea>
<button type="submit">${c.t('console.ticket.comment')}</button>`),
    );
  }
  const shown = parts.filter((p) => p.value);
  return shown.length ? html`<div class="ticket-actions">${shown}</div>` : html`<p class="muted">${c.t('console.ticket.noActions')}</p>`;
}
