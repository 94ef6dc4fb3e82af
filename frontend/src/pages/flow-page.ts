// One page for every self-service flow: load (or create) the flow, render it, submit it, and
// act on whatever Kratos answers. What differs between flows is data (kratos/flows.ts).
import type { ContinueWith } from '@ory/client-fetch';
import { KRATOS_URL } from '../config';
import { SECTIONS, type FlowLayout } from '../flow/layout';
import { renderFlow } from '../flow/render';
import { WEBAUTHN_TRIGGERS } from '../flow/triggers';
import { inputAttrs, keepableValues, type FlowBody } from '../flow/values';
import { addStrings, t, type TextId } from '../i18n/catalog';
import type { AppMessageId } from '../i18n/en';
import { call, kratos, KratosUnreachable, reply as readReply, requestInit } from '../kratos/client';
import { takeEarly } from '../kratos/early';
import { FLOWS, offered, sendFlowRequest, type Flow, type FlowKind, type FlowSpec } from '../kratos/flows';
import { openingRequest } from '../kratos/requests';
import { classify, type Outcome } from '../kratos/outcome';
import { httpUrl } from '../kratos/urls';
import type { Route, RouteContext } from '../router';
import { afterPaint, h } from '../ui/dom';
import { link, noticeFromState, showPage, unreachableMessage, type PageView } from '../ui/page';
import { continueWith, follow, goToReturnTo, withReturnTo } from './navigation';

const TITLES: Record<FlowKind, AppMessageId> = {
  login: 'app.login.title',
  registration: 'app.registration.title',
  recovery: 'app.recovery.title',
  verification: 'app.verification.title',
  settings: 'app.settings.title',
};

/** Settings is a page of sections, one per method; the others lead with one method (flow/layout.ts). */
const LAYOUTS: Record<FlowKind, FlowLayout> = {
  login: 'choose',
  registration: 'choose',
  recovery: 'choose',
  verification: 'choose',
  settings: 'sections',
};

/** Messages that come with ways forward (Kratos message id → links that carry the address typed). */
const HELP = new Map<number, { path: string; text: AppMessageId; testid: string }[]>([
  // 4000010: "Account not active yet. Did you forget to verify your email address?"
  [4000010, [{ path: '/verification', text: 'app.login.verifyAddress', testid: 'link/verify-address' }]],
  // 4000007: a sign-up with an address that has an account: sign in to it, or recover it.
  [
    4000007,
    [
      { path: '/login', text: 'app.registration.signInInstead', testid: 'link/sign-in-instead' },
      { path: '/recovery', text: 'app.login.forgotPassword', testid: 'link/recover-instead' },
    ],
  ],
]);

/** Kratos's "already completed successfully" on a verification flow (4070002). */
const VERIFIED_ALREADY = 4070002;

/** The fields that hold the address a person typed, in any flow. */
const ADDRESS_FIELDS = new Set(['traits.email', 'identifier', 'email']);

/** Restarting a flow more often than this in one visit means something is wrong: stop and say so. */
const MAX_RESTARTS = 3;

type ErrorOutcome = Extract<Outcome, { type: 'error' }>;

function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

class FlowPage {
  private readonly view: PageView;
  private restarts = 0;
  private submitting = false;
  /** Aborted when the shown form is replaced or a problem takes its place. */
  private rendering: AbortController | null = null;
  /** Failed loads in a row (Kratos unreachable or 5xx): sets the automatic retry's delay. */
  private failedLoads = 0;
  /** The state of the flow on screen (a verification that passed offers no "Skip"). */
  private shownState: string | null = null;
  /** This page's own strings (settings: i18n/settings.ts), asked for beside its first flow. */
  private strings: Promise<void> | undefined;

  constructor(
    private readonly ctx: RouteContext,
    private readonly spec: FlowSpec,
  ) {
    this.view = showPage(t(this.titleFor(null)));
  }

  async start(): Promise<void> {
    const notice = noticeFromState(this.ctx.state);
    if (notice) this.view.notice(t(notice), 'success');
    if (this.spec.kind === 'settings') this.strings = import('../i18n/settings').then((m) => addStrings(m.SETTINGS_CATALOGS));
    await this.load(this.ctx.query.get('flow'));
  }

  /** This page's address without its flow id: opened again, it starts a new flow. */
  private hereWithoutFlow(): string {
    const here = new URL(window.location.href);
    here.searchParams.delete('flow');
    return here.href;
  }

  private get query(): URLSearchParams {
    return new URL(window.location.href).searchParams;
  }

  /**
   * Settings opened for one section that is set up on a flow of its own (flow/layout.ts SECTIONS
   * setUp: the authenticator app), or null for the page of every section.
   */
  private aloneSection(): string | null {
    const section = this.spec.kind === 'settings' ? this.ctx.query.get('section') : null;
    return section && SECTIONS[section]?.setUp ? section : null;
  }

  private titleFor(flow: Flow | null): TextId {
    const alone = this.aloneSection();
    // (Its title once its strings are here: with its flow.)
    if (alone && flow) return SECTIONS[alone]!.title;
    // The address is verified: the page says so, not "Verify your email address" again.
    if (this.spec.kind === 'verification' && flow?.state === 'passed_challenge') return 'app.verification.done';
    if (this.spec.kind === 'login') {
      const q = this.ctx.query;
      const refresh = flow && 'refresh' in flow ? flow.refresh : q.get('refresh') === 'true';
      const aal = flow && 'requested_aal' in flow ? flow.requested_aal : q.get('aal');
      if (aal === 'aal2') return 'app.login.aal2Title';
      if (refresh) return 'app.login.refreshTitle';
    }
    return TITLES[this.spec.kind];
  }

  /** Fetches flow `id`, or creates a new flow when id is null. */
  private async load(id: string | null): Promise<void> {
    const { signal } = this.ctx;
    this.view.setBusy(true);
    try {
      const request = openingRequest(this.spec.kind, id, this.query);
      // The early entry may have sent this very request already (kratos/early.ts).
      const started = takeEarly(this.spec.kind, request);
      const reply = await (started ? readReply(started) : sendFlowRequest(request, signal));
      await this.strings;
      if (signal.aborted) return;
      const outcome = classify(reply, this.spec.fromJSON);
      if ((outcome.type === 'error' && outcome.status >= 500) || outcome.type === 'limited') return this.loadFailed(id, { status: outcome.status });
      if (this.failedLoads > 0) this.view.notice(null); // Kratos is back: the outage notice goes
      this.failedLoads = 0;
      await this.act(outcome, 'load');
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      if (err instanceof KratosUnreachable) return this.loadFailed(id, err);
      throw err;
    }
  }

  /** Kratos is down or failing: say so, and try again by itself with a growing delay. */
  private loadFailed(id: string | null, err: { status?: number }): void {
    const attempt = this.failedLoads;
    this.failedLoads += 1;
    this.view.offerRetry(unreachableMessage(err), () => void this.load(id), [this.links()], { attempt, signal: this.ctx.signal });
  }

  /** Starts over with a new flow, keeping return_to and the like. */
  private async restart(notice: AppMessageId | null, kratosNotice?: string): Promise<void> {
    this.restarts += 1;
    if (this.restarts > MAX_RESTARTS) {
      return this.problem(t('app.flow.restarted'), null);
    }
    const params = this.query;
    params.delete('flow');
    this.ctx.router.replaceQuery(params);
    await this.load(null);
    if (this.ctx.signal.aborted) return;
    if (kratosNotice) this.view.notice(kratosNotice, 'info');
    else if (notice) this.view.notice(t(notice), 'info');
  }

  private async act(outcome: Outcome, phase: 'load' | 'submit', submitted?: { flow: Flow; body: FlowBody; group?: string }): Promise<void> {
    switch (outcome.type) {
      case 'flow': {
        const kept = submitted ? keepableValues(submitted.flow.ui.nodes, submitted.body) : undefined;
        this.show(outcome.flow, kept, submitted?.group);
        this.continueFrom(outcome.flow, outcome.continueWith);
        return;
      }
      case 'done':
        if (!continueWith(this.ctx.router, outcome.continueWith)) goToReturnTo(this.ctx.router, this.query);
        return;
      case 'redirect':
        if (!follow(this.ctx.router, outcome.to)) this.view.notice(t('app.flow.unsafeRedirect'), 'error');
        return;
      case 'error':
        return this.onError(outcome, phase);
      // 'limited' never comes here: load() and submit() each take it first (a retry; a held form).
    }
  }

  /**
   * A flow answer can still say where to go next: a screen to show (settings → verification
   * after an e-mail change) or, after settings were saved, the return_to it was opened with.
   * Kratos's default for the latter is this very settings flow: then we stay and show "saved".
   */
  private continueFrom(flow: Flow, items: ContinueWith[]): void {
    if (items.some((c) => c.action.startsWith('show_'))) {
      continueWith(this.ctx.router, items);
      return;
    }
    const redirect = items.find((c) => c.action === 'redirect_browser_to');
    if (!redirect || !('redirect_browser_to' in redirect)) return;
    const url = httpUrl(redirect.redirect_browser_to, window.location.href);
    const here = url !== null && this.ctx.router.appPath(url) === `/${this.spec.kind}` && url.searchParams.get('flow') === flow.id;
    if (!here) follow(this.ctx.router, redirect.redirect_browser_to);
  }

  private async onError(o: ErrorOutcome, phase: 'load' | 'submit'): Promise<void> {
    const { router } = this.ctx;
    const id = o.error.id;
    if (id === 'session_already_available') return goToReturnTo(router, this.query);
    // An error that names the flow to go on with (newer Kratos: "verify your address first", with
    // the verification flow it started and the code it mailed): go there.
    if (o.continueWith.some((c) => c.action.startsWith('show_')) && continueWith(router, o.continueWith)) return;
    if (o.returnToRefused) {
      // Kratos refused the return address (not allowed, or not a URL): say so, and offer to go on without it.
      return this.problem(o.error.reason ?? o.error.message, o.status, {
        label: t('app.flow.continueWithoutReturnTo'),
        run: () => {
          const params = this.query;
          params.delete('return_to');
          params.delete('flow');
          this.ctx.router.navigate(`/${this.spec.kind}${params.size ? `?${params}` : ''}`, { replace: true });
        },
      });
    }
    if (id === 'self_service_flow_disabled') return this.problem(o.error.reason ?? o.error.message, o.status, null);
    if (id === 'security_csrf_violation') return this.restart('app.flow.csrf');
    if ((id === 'self_service_flow_expired' || id === 'self_service_flow_replaced') && o.useFlowId) {
      // Kratos made the next flow already, with the reason among its messages.
      return this.load(o.useFlowId);
    }
    if (id === 'self_service_flow_expired' || o.status === 410) {
      return this.restart(null, o.error.reason ?? o.error.message);
    }
    if (o.status === 404 && phase === 'load') return this.restart(null);
    // A sign-in to a deactivated account (an admin's doing): Kratos v1.3.1 answers 401 without an
    // error id, message "identity is disabled" (session.ErrIdentityDisabled). Say so; "sign in
    // first" would send the person round in a circle.
    if (o.status === 401 && o.error.message === 'identity is disabled') {
      // No status and no "Try again", which would fail the same way: another account is the way on.
      return this.problem(t('app.login.disabled'), null, { label: t('app.login.otherAccount'), run: () => void this.restart(null) });
    }
    if (id === 'session_inactive' || (o.status === 401 && id === undefined) || id === 'session_aal1_required') {
      const target = this.spec.kind === 'login' ? '/login' : `/login?return_to=${encodeURIComponent(this.hereWithoutFlow())}`;
      return router.navigate(target, { replace: true, state: { notice: 'app.flow.signInFirst' } });
    }
    if (o.redirectTo) {
      // A page that needs the second factor first comes back here once it is given.
      const target = id === 'session_aal2_required' && this.spec.kind !== 'login' ? withReturnTo(o.redirectTo, this.hereWithoutFlow()) : o.redirectTo;
      if (follow(router, target)) return;
    }
    return this.problem(o.error.reason ?? o.error.message, o.status);
  }

  /**
   * The address a page was opened for (`?email=`: the home page's "Verify now", a sign-up's "Sign
   * in to it"), filled into the flow's own field where Kratos sends none.
   */
  private prefill(): Record<string, string> | undefined {
    const email = this.ctx.query.get('email');
    if (!email) return undefined;
    if (this.spec.kind === 'verification' || this.spec.kind === 'recovery') return { email };
    return this.spec.kind === 'login' ? { identifier: email } : undefined;
  }

  /** `submittedGroup`: the form just sent (its button's group), when this answers a submit. */
  private show(flow: Flow, kept: Record<string, string> | undefined = this.prefill(), submittedGroup?: string): void {
    this.shownState = 'state' in flow ? String(flow.state) : null;
    if (this.spec.kind === 'verification' && (flow.ui.messages ?? []).some((m) => m.id === VERIFIED_ALREADY)) return this.verifiedAlready();
    this.view.setTitle(t(this.titleFor(flow)));

    // The previous form's pending work (a passkey autofill request) ends with it.
    this.rendering?.abort();
    this.rendering = new AbortController();
    const shown = AbortSignal.any([this.ctx.signal, this.rendering.signal]);
    // The flow's id goes into the address (a reload opens the same flow) once the form is on
    // screen: the browser's history update takes a few ms the form need not wait for. Not if the
    // form is gone by then (another flow shown, or another page).
    afterPaint(() => {
      if (shown.aborted) return;
      const params = this.query;
      params.set('flow', flow.id);
      this.ctx.router.replaceQuery(params);
    });
    const rendered = renderFlow(offered(this.spec, flow.ui), {
      signal: shown,
      kratosOrigin: new URL(KRATOS_URL).origin,
      kept,
      onSubmit: (body, submitter) => void this.submit(flow, body, rendered, submitter),
      triggers: WEBAUTHN_TRIGGERS,
      layout: LAYOUTS[this.spec.kind],
      changeIdentity: this.changeIdentity(),
      ...this.sectionOptions(),
      sentGroup: submittedGroup,
    });
    // "Forgot your password?" in the row under the password it is about, beside "Show password"
    // (review finding 29), and only where a sign-in asks for one: not under a form that sent a
    // code. After the input, so Tab still goes from the identifier straight to the password.
    const password = this.spec.kind === 'login' && !this.reauthenticating() ? rendered.querySelector<HTMLInputElement>('input[name="password"]') : null;
    const reveal = password?.parentElement?.querySelector('.reveal');
    if (reveal) {
      const foot = h('div', { class: 'field-foot' });
      reveal.replaceWith(foot);
      foot.append(link(this.withReturn('/recovery'), t('app.login.forgotPassword'), 'link/recovery'), reveal);
    }
    // Recovery says what it will do before anything is sent (review finding 29).
    const intro = this.spec.kind === 'recovery' && this.shownState === 'choose_method' ? h('p', { class: 'flow-help', data: { testid: 'recovery/intro' } }, t('app.recovery.intro')) : null;
    this.view.replace(intro, rendered, this.sentTo(flow, rendered), this.helpFor(flow), this.links(true));
    this.view.setBusy(false);
    // Where the person's attention goes: the field Kratos refused; else, after a submit, what the
    // answer says in the section that was saved; else, after a refused submit, the first empty
    // field of the form (a wrong password: the password, to type again). Never the page's body.
    const invalid = rendered.querySelector<HTMLElement>('[aria-invalid="true"]');
    const saved = submittedGroup ? rendered.querySelector<HTMLElement>(`[data-testid="section/${submittedGroup}"] .section-saved`) : null;
    const refused = submittedGroup && (flow.ui.messages ?? []).some((m) => m.type === 'error');
    const retype = refused ? [...rendered.querySelectorAll<HTMLInputElement>('input:not([type="hidden"]):not([disabled])')].find((i) => i.value === '') : undefined;
    const target = invalid ?? saved ?? retype;
    if (target) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'nearest' });
    }
    // Someone signed in confirming it is them: their address, not an empty field (pages/refresh.ts).
    if ('refresh' in flow && flow.refresh) void import('./refresh').then((m) => m.fillSignedIn(rendered, shown));
    // Traits with a fixed set of values become choices once the identity schema is read: asked
    // only by forms with traits, once they are on screen, by code off /login's bundle.
    if (rendered.querySelector('input[name^="traits."]:not([type="hidden"])')) {
      const signal = this.rendering.signal;
      afterPaint(() => void import('../flow/choices').then((m) => m.offerChoices(rendered, 'identity' in flow ? flow.identity?.schema_id : undefined, signal)));
    }
  }

  /**
   * A verification link or code used a second time: Kratos starts a new flow that says, as an
   * error over an empty form, that the request "was already completed successfully" (4070002).
   * It was: say so, and lead on (review finding 15).
   */
  private verifiedAlready(): void {
    this.rendering?.abort();
    this.shownState = 'passed_challenge';
    this.view.setTitle(t('app.verification.done'));
    this.view.setBusy(false);
    this.view.replace(
      h('p', { data: { testid: 'verification/already' } }, t('app.verification.already')),
      h('p', {}, link(this.ctx.router.href('/'), t('app.verification.continue'), 'link/continue')),
    );
  }

  private async submit(flow: Flow, body: FlowBody, rendered: HTMLElement, submitter: HTMLButtonElement | null, confirmed = false): Promise<void> {
    if (this.submitting) return;
    // A button that takes a way to sign in away (an app, backup codes, a key, a linked account)
    // asks once more first (review finding 12), by code /login never loads.
    if (!confirmed && submitter?.classList.contains('button-danger')) {
      const ok = await import('../ui/confirm').then((m) => m.confirmFirst(submitter, t('app.confirm.remove')));
      if (ok) await this.submit(flow, body, rendered, submitter, true);
      return;
    }
    this.submitting = true;
    // The form of the button pressed (settings has one per section), or the flow's only form.
    const form = submitter?.form ?? rendered.querySelector('form');
    const buttons = [...rendered.querySelectorAll('button')];
    // Busy, visibly: every button is off and the one pressed shows a spinner (styles.css).
    form?.setAttribute('aria-busy', 'true');
    submitter?.setAttribute('data-busy', 'true');
    for (const b of buttons) b.disabled = true;
    const { signal } = this.ctx;
    const notSent = (reason: { status?: number }) => {
      // Nothing typed is lost but passwords: the form stays and can be sent again.
      for (const input of rendered.querySelectorAll<HTMLInputElement>('input[type="password"]')) input.value = '';
      form?.removeAttribute('aria-busy');
      submitter?.removeAttribute('data-busy');
      for (const b of buttons) b.disabled = false;
      this.view.notice(t('app.network.notSent', { reason: unreachableMessage(reason) }), 'error');
    };
    /**
     * Too many attempts (the Gateway's rate limit): nothing reached Kratos. Everything typed stays,
     * passwords included, and the form cannot be sent again until the wait asked for is over.
     */
    const heldFor = (seconds: number) => {
      form?.removeAttribute('aria-busy');
      submitter?.removeAttribute('data-busy');
      this.view.notice(t('app.network.limited', { seconds }), 'error');
      const timer = setTimeout(() => {
        if (signal.aborted || !rendered.isConnected) return;
        for (const b of buttons) b.disabled = false;
        this.view.notice(t('app.network.limitOver'), 'info');
      }, seconds * 1000);
      signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    };
    try {
      // A notice from before (a page's "You have signed out.") is about something past now.
      this.view.notice(null);
      const reply = await call(() => kratos.submit(flow.ui.action, flow.ui.method, body, requestInit(signal)));
      if (signal.aborted) return;
      const outcome = classify(reply, this.spec.fromJSON);
      if (outcome.type === 'error' && outcome.status >= 500) return notSent({ status: outcome.status });
      if (outcome.type === 'limited') return heldFor(outcome.seconds);
      // Kratos answers "no session" (and whoami 401) when it cannot read sessions at all: its
      // database down (docs/reliability.md). Leaving for sign-in would lose what was typed: the
      // answer is believed only while Kratos says it is ready (/health/ready: it reaches its
      // database); not ready, or not reached, the form stays.
      if (outcome.type === 'error' && outcome.status === 401) {
        const ready = await call(() => kratos.get('/health/ready', {}, requestInit(signal))).then((r) => r.status, () => null);
        if (signal.aborted) return;
        if (ready !== 200) return notSent({ status: ready ?? undefined });
      }
      await this.act(outcome, 'submit', { flow, body, group: submitter?.dataset.group });
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      if (!(err instanceof KratosUnreachable)) throw err;
      notSent(err);
    } finally {
      this.submitting = false;
    }
  }

  /**
   * Shows what went wrong with one way forward: by default "Try again" (a new flow), or the
   * given action, or none where trying again cannot help.
   */
  private problem(message: string, status: number | null, action?: { label: string; run: () => void } | null): void {
    this.rendering?.abort();
    const text = status ? `${t('app.error.status', { code: status })}: ${message}` : message;
    if (action === undefined) {
      this.view.offerRetry(
        text,
        () => {
          this.restarts = 0;
          void this.restart(null);
        },
        [this.links()],
      );
      return;
    }
    this.view.setBusy(false);
    this.view.notice(text, 'error');
    this.view.replace(
      action ? h('p', {}, h('button', { class: 'button', attrs: { type: 'button' }, data: { testid: 'app/problem-action' }, on: { click: action.run } }, action.label)) : null,
      this.links(),
    );
  }

  /**
   * Settings: one section alone on its own flow, or the page of every section where such a
   * section is a link to it (a new flow, so that nothing else saved can change its secret).
   */
  private sectionOptions(): { section?: string; openSection?: (group: string) => HTMLElement } {
    if (this.spec.kind !== 'settings') return {};
    const alone = this.aloneSection();
    if (alone) return { section: alone };
    return {
      openSection: (group) => {
        const params = this.query;
        params.delete('flow');
        params.set('section', group);
        const a = link(this.ctx.router.href(`/settings?${params}`), t(SECTIONS[group]!.setUp!), `link/set-up/${group}`);
        a.classList.add('button', 'button-primary');
        return a;
      },
    };
  }

  private reauthenticating(): boolean {
    const q = this.query;
    return q.get('refresh') === 'true' || q.get('aal') === 'aal2';
  }

  /**
   * The way to another address where a sign-in has hidden the one given (flow/render.ts
   * identitySummary): a new flow, keeping return_to and the like. Otherwise Kratos v1.3.1 leaves
   * a person whose address got a code refused (4000035) with no field to correct it.
   * Re-authentication has "Not you?" instead.
   */
  private changeIdentity(): (() => HTMLElement) | undefined {
    if (this.spec.kind !== 'login' || this.reauthenticating()) return undefined;
    return () => {
      const params = this.query;
      params.delete('flow');
      return link(this.ctx.router.href(`/login${params.size ? `?${params}` : ''}`), t('app.login.useAnotherAddress'), 'link/another-address');
    };
  }

  /**
   * Where a verification code went (review finding 18): the address on Kratos's own "Resend code"
   * button, else the address the page was opened for (`?email=`, from the sign-up's
   * continue_with). Kratos v1.3.1 offers no resend for the code it sends on its own after sign-up
   * (only once a code was asked for on the form): then the page asks Kratos for another as that
   * button would, {method: code, email}.
   */
  private sentTo(flow: Flow, rendered: HTMLElement): HTMLElement | null {
    if (this.spec.kind !== 'verification' || !('state' in flow) || flow.state !== 'sent_email') return null;
    const nodes = flow.ui.nodes.map(inputAttrs);
    const own = nodes.find((a) => a?.name === 'email' && a.type === 'submit')?.value;
    // The address from the page's own address bar is shown only if it is one.
    const asked = this.ctx.query.get('email');
    const email = typeof own === 'string' && own ? own : asked && /^[^\s@]{1,64}@[^\s@]{1,253}$/.test(asked) ? asked : null;
    if (!email) return null;
    let resend: HTMLButtonElement | null = null;
    if (!own) {
      const csrf = String(nodes.find((a) => a?.name === 'csrf_token')?.value ?? '');
      resend = h('button', { class: 'button button-secondary', attrs: { type: 'button' }, data: { testid: 'verification/resend' } }, t('app.verification.resend'));
      resend.addEventListener('click', () => void this.submit(flow, { csrf_token: csrf, method: 'code', email }, rendered, resend));
    }
    return h('p', { class: 'flow-help', data: { testid: 'verification/sent-to' } }, t('app.verification.sentTo', { email }), resend ? ' ' : null, resend);
  }

  /**
   * The ways out that a message calls for ("your address is not verified" → verify it; "there is
   * an account with this address" → sign in to it, or recover it), with the address typed filled
   * in there (prefill) and return_to kept.
   */
  private helpFor(flow: Flow): HTMLElement | null {
    const ids = new Set((flow.ui.messages ?? []).map((m) => m.id));
    const help = [...HELP].find(([id]) => ids.has(id))?.[1];
    if (!help) return null;
    const params = new URLSearchParams();
    const address = flow.ui.nodes.map(inputAttrs).find((a) => a && ADDRESS_FIELDS.has(a.name) && typeof a.value === 'string' && a.value !== '')?.value;
    if (typeof address === 'string') params.set('email', address);
    const returnTo = this.query.get('return_to');
    if (returnTo) params.set('return_to', returnTo);
    const query = params.size ? `?${params}` : '';
    return h('p', { class: 'flow-help' }, ...help.flatMap((item, i) => [i ? ' · ' : null, link(this.ctx.router.href(item.path + query), t(item.text), item.testid)]));
  }

  /** A neighbouring flow's address, carrying return_to. */
  private withReturn(path: string): string {
    const returnTo = this.query.get('return_to');
    return this.ctx.router.href(returnTo ? `${path}?return_to=${encodeURIComponent(returnTo)}` : path);
  }

  /**
   * The links under a form: to the neighbouring flows, carrying return_to. `underForm`: a form is
   * shown, whose password field carries "Forgot your password?" where it has one (show).
   */
  private links(underForm = false): HTMLElement | null {
    const { router } = this.ctx;
    const withReturn = (path: string) => this.withReturn(path);
    switch (this.spec.kind) {
      case 'login':
        if (this.reauthenticating()) {
          // Someone signed in confirming it is them: signing up or recovering makes no sense here.
          return h('nav', { class: 'flow-links' }, h('p', {}, `${t('app.login.notYou')} `, link(router.href('/logout'), t('app.nav.signOut'), 'link/logout')));
        }
        return h(
          'nav',
          { class: 'flow-links', attrs: { 'aria-label': t('app.nav.mainLabel') } },
          underForm ? null : h('p', {}, link(withReturn('/recovery'), t('app.login.forgotPassword'), 'link/recovery')),
          h('p', {}, `${t('app.login.noAccount')} `, link(withReturn('/registration'), t('app.nav.signUp'), 'link/registration')),
        );
      case 'registration':
        return h(
          'nav',
          { class: 'flow-links', attrs: { 'aria-label': t('app.nav.mainLabel') } },
          h('p', {}, `${t('app.registration.haveAccount')} `, link(withReturn('/login'), t('app.nav.signIn'), 'link/login')),
        );
      case 'recovery':
        return h('nav', { class: 'flow-links' }, h('p', {}, link(withReturn('/login'), t('app.recovery.backToSignIn'), 'link/login')));
      case 'verification':
        // Once verified there is nothing left to skip: the flow's own "Continue" leads on.
        if (this.shownState === 'passed_challenge') return null;
        return h('nav', { class: 'flow-links' }, h('p', {}, link(router.href('/'), t('app.verification.skip'), 'link/skip')));
      case 'settings':
        if (this.aloneSection()) {
          const params = this.query;
          for (const name of ['flow', 'section']) params.delete(name);
          return h('nav', { class: 'flow-links' }, h('p', {}, link(router.href(`/settings${params.size ? `?${params}` : ''}`), t('app.nav.settings'), 'link/settings')));
        }
        return h('nav', { class: 'flow-links' }, h('p', {}, link(router.href('/'), t('app.nav.home'), 'link/home')));
    }
  }
}

export function flowRoute(kind: FlowKind): Route {
  return (ctx) => new FlowPage(ctx, FLOWS[kind]).start();
}
