// The administration pages (/admin), loaded only when opened: identities (list, look-up, one
// identity with its traits, metadata, addresses, sign-in methods and sessions; edit, deactivate,
// delete, hand over access with a recovery code), creating an identity, and the courier's
// messages. One route; the query says which view (?identity=<id>, ?view=new, ?view=messages).
//
// Everything it shows and does goes through kratos/admin.ts to the gateway, which decides who
// may (the browser decides nothing): a person without the admin role sees "not allowed" because
// the gateway refused, and every action is logged there with the admin's identity id.
import { SessionFromJSON, type Identity, type Message } from '@ory/client-fetch';
import { API_URL } from '../config';
import { tp } from '../i18n/pages';
import { adminNoticeFromState, ta, taKnown, type AdminMessageId } from '../i18n/admin';
import { adminCall, schemaReason, type AdminApi, type AdminReply } from '../kratos/admin';
import { KratosUnreachable } from '../kratos/client';
import { classify, type Outcome } from '../kratos/outcome';
import type { Route, RouteContext } from '../router';
import { confirmFirst } from '../ui/confirm';
import { copyButton } from '../ui/copy';
import { h, uniqueId, type Child } from '../ui/dom';
import { link, showPage, unreachableMessage, type PageView } from '../ui/page';
import { formatTime } from '../ui/time';
import { follow, withReturnTo } from './navigation';
import { methodName, sessionRow } from './sessions-card';

const PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The identity's name for people: its e-mail trait, else its first identifier, else its id. */
export function identityLabel(identity: Pick<Identity, 'id' | 'traits' | 'credentials'>): string {
  const traits = identity.traits as Record<string, unknown> | null | undefined;
  if (typeof traits?.email === 'string' && traits.email) return traits.email;
  for (const c of Object.values(identity.credentials ?? {})) if (c.identifiers?.[0]) return c.identifiers[0];
  return identity.id;
}

/**
 * The gateway's or Kratos's refusal as one sentence for the page: the reason (or message) of the
 * error it sent, as kratos/outcome.ts reads it, if it sent one.
 */
function refusal(reply: AdminReply, outcome: Outcome): string {
  if (reply.needsSecondFactor) return ta('app.admin.needsSecondFactor');
  if (reply.status === 403) return ta('app.admin.forbidden');
  const text: unknown = outcome.type === 'error' && (reply.body as { error?: unknown } | null)?.error ? (outcome.error.reason ?? outcome.error.message) : null;
  const sent = typeof text === 'string' && text ? text : null;
  return sent ? ta('app.admin.failedWith', { status: reply.status, reason: schemaReason(sent) }) : ta('app.admin.failed', { status: reply.status });
}

/**
 * One admin call from a page: the reply when it succeeded, else null after saying why (a
 * refusal, or Kratos/the gateway out of reach) in `say`. A page load (`leave`) that finds no
 * usable session goes to sign in (or to the second factor) and comes back; an action does not
 * leave the page, so nothing typed is lost: it says to sign in again.
 */
async function run(
  ctx: RouteContext,
  say: (text: string) => void,
  request: (api: AdminApi, init: RequestInit) => Promise<Response>,
  leave = false,
): Promise<AdminReply | null> {
  try {
    const reply = await adminCall(ctx.signal, request);
    if (ctx.signal.aborted) return null;
    const outcome = classify(reply);
    const stepUp = reply.status === 403 && outcome.type === 'error' && outcome.error.id === 'session_aal2_required';
    if (reply.status === 401 || stepUp) {
      if (!leave) {
        say(ta('app.admin.signInAgain'));
        return null;
      }
      const here = window.location.href;
      if (reply.status === 401) ctx.router.navigate(`/login?return_to=${encodeURIComponent(here)}`, { replace: true, state: { notice: 'app.flow.signInFirst' } });
      else if (!(outcome.type === 'error' && outcome.redirectTo && follow(ctx.router, withReturnTo(outcome.redirectTo, here), { replace: true }))) say(refusal(reply, outcome));
      return null;
    }
    if (reply.status >= 400) {
      say(refusal(reply, outcome));
      return null;
    }
    return reply;
  } catch (err) {
    if (ctx.signal.aborted) return null;
    if (!(err instanceof KratosUnreachable)) throw err;
    say(unreachableMessage(err));
    return null;
  }
}

/** The admin pages' links, the one open marked as the current page (review finding 34). */
function adminNav(ctx: RouteContext): HTMLElement {
  const open = ctx.query.has('identity') ? null : (ctx.query.get('view') ?? 'identities');
  const item = (view: string, path: string, text: string) => {
    const a = link(ctx.router.href(path), text, `admin/nav/${view}`);
    if (view === open) a.setAttribute('aria-current', 'page');
    return a;
  };
  return h(
    'nav',
    { class: 'actions admin-nav', attrs: { 'aria-label': ta('app.admin.navLabel') } },
    item('identities', '/admin', ta('app.admin.identities')),
    item('new', '/admin?view=new', ta('app.admin.create')),
    item('messages', '/admin?view=messages', ta('app.admin.messages')),
  );
}

/** The later of two times Kratos sends as strings (the JSON is read as it came, not converted). */
function latest(...times: (Date | string | undefined)[]): Date | undefined {
  const dates = times.filter((d) => d !== undefined).map((d) => new Date(d));
  return dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : undefined;
}

function facts(...rows: [string, Child, string?][]): HTMLElement {
  return h('dl', { class: 'facts' }, ...rows.flatMap(([term, value, testid]) => [h('dt', {}, term), h('dd', { data: testid ? { testid } : {} }, value)]));
}

function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card', attrs: { 'aria-labelledby': id } }, h('h2', { attrs: { id } }, title), ...children);
}

function stateText(state: string | undefined): string {
  return state === 'inactive' ? ta('app.admin.state.inactive') : ta('app.admin.state.active');
}

/** A status line inside a section: polite, or an alert for errors. */
function statusLine(testid: string): { el: HTMLElement; say(text: string, error?: boolean): void } {
  const el = h('p', { class: 'message', attrs: { hidden: true }, data: { testid } });
  return {
    el,
    say(text, error = true) {
      el.hidden = false;
      el.className = `message ${error ? 'message-error' : 'message-success'}`;
      el.setAttribute('role', error ? 'alert' : 'status');
      el.textContent = text;
    },
  };
}

function field(labelText: string, control: HTMLInputElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  control.id ||= uniqueId('admin');
  const hintEl = hint ? h('p', { class: 'muted', attrs: { id: `${control.id}-hint` } }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { attrs: { for: control.id } }, labelText), control, hintEl);
}

/** A button; a red one (revoke, deactivate) asks once more before it acts (review finding 12). */
function button(text: string, testid: string, onClick: () => void, kind = 'button-secondary'): HTMLButtonElement {
  const el = h('button', { class: `button ${kind}`, attrs: { type: 'button' }, data: { testid } }, text);
  el.addEventListener('click', async () => {
    if (kind.includes('button-danger') && !(await confirmFirst(el))) return;
    onClick();
  });
  return el;
}

/** Parses a JSON object typed into a textarea; marks the field and says why when it is not one. */
function readJsonObject(area: HTMLTextAreaElement, say: (text: string) => void): Record<string, unknown> | null {
  try {
    const value = JSON.parse(area.value) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      area.removeAttribute('aria-invalid');
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through: the same message for "not JSON" and "not an object"
  }
  area.setAttribute('aria-invalid', 'true');
  area.focus();
  say(ta('app.admin.notJsonObject'));
  return null;
}

/** A search box that opens `path` with the typed value as query parameter `name` (or without it). */
function searchForm(ctx: RouteContext, labelText: string, name: string, value: string | undefined, path: string): HTMLFormElement {
  const search = h('input', { attrs: { type: 'search', name, value: value ?? '', autocomplete: 'off' } });
  const form = h('form', { attrs: { role: 'search' } }, field(labelText, search), h('button', { class: 'button', attrs: { type: 'submit' } }, ta('app.admin.find')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = search.value.trim();
    ctx.router.navigate(q ? `${path}${path.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(q)}` : path);
  });
  return form;
}

// ---- identities: list and look-up ----

async function listView(ctx: RouteContext, view: PageView): Promise<void> {
  const identifier = ctx.query.get('identifier')?.trim() || undefined;
  const pageToken = ctx.query.get('page_token') ?? undefined;
  const form = searchForm(ctx, ta('app.admin.findLabel'), 'identifier', identifier, '/admin');
  view.setBusy(true);
  const reply = await run(
    ctx,
    (text) => view.notice(text, 'error'),
    (api, init) => api.send('GET', '/admin/identities', init, { query: { page_size: String(PAGE_SIZE), page_token: pageToken, credentials_identifier: identifier } }),
    true,
  );
  view.setBusy(false);
  if (!reply) return view.replace(adminNav(ctx));
  const identities = (Array.isArray(reply.body) ? reply.body : []) as Identity[];
  const rows = identities.map((i) =>
    h(
      'tr',
      { data: { testid: `admin/identity/${i.id}` } },
      h('td', {}, link(ctx.router.href(`/admin?identity=${i.id}`), identityLabel(i))),
      h('td', { class: 'nowrap' }, stateText(i.state)),
      h('td', { class: 'nowrap' }, formatTime(i.created_at ? new Date(i.created_at) : undefined)),
    ),
  );
  const next = reply.next ? `/admin?page_token=${encodeURIComponent(reply.next)}${identifier ? `&identifier=${encodeURIComponent(identifier)}` : ''}` : null;
  view.replace(
    adminNav(ctx),
    form,
    identities.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table', data: { testid: 'admin/identities' } },
            h('caption', { class: 'muted' }, identifier ? ta('app.admin.found', { identifier }) : ta('app.admin.identitiesCaption')),
            h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, ta('app.admin.identifier')), h('th', { attrs: { scope: 'col' } }, ta('app.admin.state')), h('th', { attrs: { scope: 'col' } }, ta('app.admin.created')))),
            h('tbody', {}, ...rows),
          ),
        )
      : h('p', { data: { testid: 'admin/none' } }, identifier ? ta('app.admin.noneFound', { identifier }) : ta('app.admin.noIdentities')),
    next ? h('p', {}, link(ctx.router.href(next), ta('app.admin.nextPage'), 'admin/next-page')) : null,
  );
}

// ---- one identity ----

function sessionsSection(ctx: RouteContext, id: string): HTMLElement {
  const list = h('ul', { class: 'sessions', data: { testid: 'admin/sessions' } });
  const status = statusLine('admin/sessions/status');
  const revokeAll = button(ta('app.admin.revokeAll'), 'admin/sessions/revoke-all', () => void revoke(null), 'button-danger');
  const load = async (): Promise<void> => {
    const reply = await run(ctx, (text) => status.say(text), (api, init) => api.send('GET', `/admin/identities/${id}/sessions`, init, { query: { active: 'true' } }));
    if (!reply) return;
    const sessions = (Array.isArray(reply.body) ? reply.body : []).map((s) => SessionFromJSON(s));
    revokeAll.hidden = sessions.length === 0;
    list.replaceChildren(
      ...(sessions.length
        ? sessions.map((s) => sessionRow(s, formatTime, `admin/session/${s.id}`, button(ta('app.admin.revoke'), 'admin/session/revoke', () => void revoke(s.id), 'button-danger button-small')))
        : [h('li', { class: 'muted' }, ta('app.admin.noSessions'))]),
    );
  };
  const revoke = async (sessionId: string | null): Promise<void> => {
    const reply = await run(ctx, (text) => status.say(text), (api, init) =>
      api.send('DELETE', sessionId ? `/admin/sessions/${sessionId}` : `/admin/identities/${id}/sessions`, init),
    );
    if (!reply) return;
    status.say(sessionId ? ta('app.admin.revokedOne') : ta('app.admin.revokedAll'), false);
    await load();
  };
  void load();
  return section('admin-sessions', ta('app.admin.sessions'), list, status.el, h('p', {}, revokeAll));
}

function accessSection(ctx: RouteContext, id: string): HTMLElement {
  const out = h('div', { data: { testid: 'admin/recovery' } });
  const status = statusLine('admin/recovery/status');
  const create = button(ta('app.admin.recoveryCreate'), 'admin/recovery/create', async () => {
    create.disabled = true;
    const reply = await run(ctx, (text) => status.say(text), (api, init) =>
      api.send('POST', '/admin/recovery/code', init, { body: { identity_id: id, expires_in: '24h' } }),
    );
    create.disabled = false;
    if (!reply) return;
    const body = reply.body as { recovery_link?: unknown; recovery_code?: unknown; expires_at?: unknown };
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    // Each with a Copy button, as settings has for secrets (review finding 34).
    const withCopy = (value: string, label: string, testid: string) => h('span', {}, h('code', { data: { testid } }, value), ' ', copyButton(value, label, `${testid}/copy`));
    out.replaceChildren(
      facts(
        [ta('app.admin.recoveryLink'), withCopy(text(body.recovery_link), ta('app.admin.copyLink'), 'admin/recovery/link')],
        [ta('app.admin.recoveryCode'), withCopy(text(body.recovery_code), ta('app.admin.copyCode'), 'admin/recovery/code')],
        [ta('app.admin.recoveryExpires'), formatTime(typeof body.expires_at === 'string' ? new Date(body.expires_at) : undefined)],
      ),
    );
    status.say(ta('app.admin.recoveryCreated'), false);
  });
  return section('admin-access', ta('app.admin.access'), h('p', { class: 'section-about' }, ta('app.admin.accessAbout')), h('p', {}, create), status.el, out);
}

function editSection(ctx: RouteContext, identity: Identity, reload: (notice: AdminMessageId) => void): HTMLElement {
  const traits = h('textarea', { attrs: { name: 'traits', rows: 8, spellcheck: 'false' }, data: { testid: 'admin/edit/traits' } });
  traits.value = JSON.stringify(identity.traits ?? {}, null, 2);
  const metadata = h('textarea', { attrs: { name: 'metadata_public', rows: 5, spellcheck: 'false' }, data: { testid: 'admin/edit/metadata' } });
  metadata.value = JSON.stringify(identity.metadata_public ?? {}, null, 2);
  const status = statusLine('admin/edit/status');
  const form = h(
    'form',
    { attrs: { novalidate: true } },
    field(ta('app.admin.traits'), traits, ta('app.admin.traitsHint')),
    field(ta('app.admin.metadataPublic'), metadata, ta('app.admin.metadataHint')),
    status.el,
    h('button', { class: 'button', attrs: { type: 'submit' }, data: { testid: 'admin/edit/save' } }, ta('app.admin.save')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const say = (text: string) => status.say(text);
    const newTraits = readJsonObject(traits, say);
    if (!newTraits) return;
    const newMetadata = readJsonObject(metadata, say);
    if (!newMetadata) return;
    const reply = await run(ctx, say, (api, init) =>
      api.send('PATCH', `/admin/identities/${identity.id}`, init, {
        body: [
          { op: 'replace', path: '/traits', value: newTraits },
          { op: 'add', path: '/metadata_public', value: newMetadata },
        ],
      }),
    );
    if (reply) reload('app.admin.saved');
  });
  return section('admin-edit', ta('app.admin.edit'), form);
}

function stateSection(ctx: RouteContext, identity: Identity, reload: (notice: AdminMessageId) => void): HTMLElement {
  const active = identity.state !== 'inactive';
  const status = statusLine('admin/state/status');
  const say = (text: string) => status.say(text);
  const toggle = button(active ? ta('app.admin.deactivate') : ta('app.admin.reactivate'), 'admin/state/toggle', async () => {
    const reply = await run(ctx, say, (api, init) =>
      api.send('PATCH', `/admin/identities/${identity.id}`, init, { body: [{ op: 'replace', path: '/state', value: active ? 'inactive' : 'active' }] }),
    );
    if (!reply) return;
    // Kratos only refuses a deactivated identity's sessions while it stays deactivated: they
    // would work again on reactivation. Deactivating ends them for good.
    if (active && !(await run(ctx, say, (api, init) => api.send('DELETE', `/admin/identities/${identity.id}/sessions`, init)))) return;
    reload(active ? 'app.admin.deactivated' : 'app.admin.reactivated');
  }, active ? 'button-danger' : 'button-secondary');
  return section('admin-state', ta('app.admin.state'), h('p', { class: 'section-about' }, active ? ta('app.admin.deactivateAbout') : ta('app.admin.reactivateAbout')), status.el, h('p', {}, toggle));
}

function deleteSection(ctx: RouteContext, identity: Identity): HTMLElement {
  const label = identityLabel(identity);
  const confirm = h('input', { attrs: { type: 'text', name: 'confirm', autocomplete: 'off', spellcheck: 'false' }, data: { testid: 'admin/delete/confirm' } });
  const status = statusLine('admin/delete/status');
  const submit = h('button', { class: 'button button-danger', attrs: { type: 'submit', disabled: true }, data: { testid: 'admin/delete/submit' } }, ta('app.admin.delete'));
  confirm.addEventListener('input', () => (submit.disabled = confirm.value !== label));
  const form = h('form', {}, field(ta('app.admin.deleteConfirm', { identifier: label }), confirm), status.el, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (confirm.value !== label) return;
    const reply = await run(ctx, (text) => status.say(text), (api, init) => api.send('DELETE', `/admin/identities/${identity.id}`, init));
    if (reply) ctx.router.navigate('/admin', { state: { notice: 'app.admin.deleted' } });
  });
  return section('admin-delete', ta('app.admin.deleteTitle'), h('p', { class: 'section-about' }, ta('app.admin.deleteAbout')), form);
}

async function identityView(ctx: RouteContext, view: PageView, id: string): Promise<void> {
  const reload = (notice: AdminMessageId) => ctx.router.navigate(`/admin?identity=${id}`, { replace: true, state: { notice } });
  if (!UUID.test(id)) {
    view.replace(adminNav(ctx));
    return view.notice(ta('app.admin.noSuchIdentity'), 'error');
  }
  view.setBusy(true);
  const reply = await run(ctx, (text) => view.notice(text, 'error'), (api, init) => api.send('GET', `/admin/identities/${id}`, init), true);
  view.setBusy(false);
  if (!reply) return view.replace(adminNav(ctx));
  const identity = reply.body as Identity;
  view.setTitle(identityLabel(identity));
  const addresses = identity.verifiable_addresses ?? [];
  // Only each method's type and identifiers: its config (hashes, keys, secrets) is never shown.
  const methods = Object.entries(identity.credentials ?? {}).map(([type, c]) =>
    h('li', { data: { testid: `admin/method/${type}` } }, methodName(type), c.identifiers?.length ? ` — ${c.identifiers.join(', ')}` : ''),
  );
  view.replace(
    adminNav(ctx),
    section(
      'admin-identity',
      ta('app.admin.identity'),
      facts(
        [tp('app.home.identityId'), h('code', {}, identity.id)],
        [ta('app.admin.state'), stateText(identity.state), 'admin/state'],
        [ta('app.admin.schema'), identity.schema_id],
        [ta('app.admin.created'), formatTime(identity.created_at ? new Date(identity.created_at) : undefined)],
        // Kratos does not move updated_at when only the state changes (review finding 34).
        [ta('app.admin.updated'), formatTime(latest(identity.updated_at, identity.state_changed_at)), 'admin/updated'],
        [
          ta('app.admin.addresses'),
          addresses.length
            ? h('ul', { class: 'sessions' }, ...addresses.map((a) => h('li', { data: { testid: `admin/address/${a.value}` } }, `${a.value} (${a.verified ? tp('app.home.verified') : tp('app.home.unverified')})`)))
            : '—',
        ],
        [ta('app.admin.methods'), methods.length ? h('ul', { class: 'sessions', data: { testid: 'admin/methods' } }, ...methods) : '—'],
      ),
    ),
    editSection(ctx, identity, reload),
    accessSection(ctx, identity.id),
    sessionsSection(ctx, identity.id),
    stateSection(ctx, identity, reload),
    deleteSection(ctx, identity),
  );
}

// ---- create ----

function createView(ctx: RouteContext, view: PageView): void {
  view.setTitle(ta('app.admin.create'));
  const email = h('input', { attrs: { type: 'email', name: 'email', autocomplete: 'off', required: true }, data: { testid: 'admin/new/email' } });
  const traits = h('textarea', { attrs: { name: 'traits', rows: 6, spellcheck: 'false' }, data: { testid: 'admin/new/traits' } });
  traits.value = '{}';
  const status = statusLine('admin/new/status');
  const form = h(
    'form',
    { attrs: { novalidate: true } },
    field(ta('app.admin.newEmail'), email),
    field(ta('app.admin.newTraits'), traits, ta('app.admin.newTraitsHint')),
    status.el,
    h('button', { class: 'button', attrs: { type: 'submit' }, data: { testid: 'admin/new/submit' } }, ta('app.admin.createSubmit')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const say = (text: string) => status.say(text);
    const more = readJsonObject(traits, say);
    if (!more) return;
    const address = email.value.trim();
    const reply = await run(ctx, say, (api, init) =>
      api.send('POST', '/admin/identities', init, { body: { schema_id: 'default', traits: { ...more, email: address } } }),
    );
    const id = (reply?.body as { id?: unknown } | null)?.id;
    if (typeof id === 'string') ctx.router.navigate(`/admin?identity=${id}`, { state: { notice: 'app.admin.created.notice' } });
  });
  view.replace(adminNav(ctx), h('p', { class: 'section-about' }, ta('app.admin.createAbout')), form);
}

// ---- courier messages ----

async function messagesView(ctx: RouteContext, view: PageView): Promise<void> {
  view.setTitle(ta('app.admin.messages'));
  const pageToken = ctx.query.get('page_token') ?? undefined;
  const recipient = ctx.query.get('recipient')?.trim() || undefined;
  const form = searchForm(ctx, ta('app.admin.recipientLabel'), 'recipient', recipient, '/admin?view=messages');
  view.setBusy(true);
  const reply = await run(
    ctx,
    (text) => view.notice(text, 'error'),
    (api, init) => api.send('GET', '/admin/courier/messages', init, { query: { page_size: String(PAGE_SIZE), page_token: pageToken, recipient } }),
    true,
  );
  view.setBusy(false);
  if (!reply) return view.replace(adminNav(ctx));
  const messages = (Array.isArray(reply.body) ? reply.body : []) as Message[];
  view.replace(
    adminNav(ctx),
    form,
    messages.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table', data: { testid: 'admin/messages' } },
            h('caption', { class: 'muted' }, ta('app.admin.messagesCaption')),
            h(
              'thead',
              {},
              h('tr', {}, ...[ta('app.admin.messageStatus'), ta('app.admin.messageTemplate'), ta('app.admin.messageRecipient'), ta('app.admin.created')].map((c) => h('th', { attrs: { scope: 'col' } }, c))),
            ),
            h(
              'tbody',
              {},
              ...messages.map((m) =>
                h(
                  'tr',
                  { data: { testid: `admin/message/${m.id}` } },
                  h('td', { class: 'nowrap' }, taKnown(`app.admin.messageState.${m.status}`, String(m.status ?? ''))),
                  h('td', {}, taKnown(`app.admin.template.${m.template_type}`, String(m.template_type ?? ''))),
                  h('td', {}, String(m.recipient ?? '')),
                  h('td', { class: 'nowrap' }, formatTime(m.created_at ? new Date(m.created_at) : undefined)),
                ),
              ),
            ),
          ),
        )
      : h('p', { data: { testid: 'admin/messages/none' } }, recipient ? ta('app.admin.noMessagesTo', { recipient }) : ta('app.admin.noMessages')),
    reply.next
      ? h('p', {}, link(ctx.router.href(`/admin?view=messages&page_token=${encodeURIComponent(reply.next)}${recipient ? `&recipient=${encodeURIComponent(recipient)}` : ''}`), ta('app.admin.nextPage'), 'admin/next-page'))
      : null,
  );
}

export const adminRoute: Route = async (ctx) => {
  const view = showPage(ta('app.admin.title'));
  const notice = adminNoticeFromState(ctx.state);
  if (notice) view.notice(ta(notice), 'success');
  if (!API_URL) {
    view.notice(ta('app.admin.noApi'), 'error');
    return;
  }
  const identity = ctx.query.get('identity');
  const which = ctx.query.get('view');
  if (identity !== null) return identityView(ctx, view, identity);
  if (which === 'new') return createView(ctx, view);
  if (which === 'messages') return messagesView(ctx, view);
  return listView(ctx, view);
};
