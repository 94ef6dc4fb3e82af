// A real SMTP server that keeps what Kratos mails, and a small inbox to read it.
//
//   SMTP  smtp://HOST:SMTP_PORT (no TLS, no auth: loopback only)
//   HTTP  GET  /                     inbox page for people
//         GET  /messages/:id         one message (text); /messages/:id/html its HTML part, sandboxed
//         GET  /api/messages?to=addr JSON, newest first (tests read codes here)
//         DELETE /api/messages       empties the inbox
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { listen } from './processes.mjs';

const MAX_MESSAGES = 1000;

const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function page(title, body, { refresh = false } = {}) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refresh ? '<meta http-equiv="refresh" content="5">' : ''}
<title>${esc(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #d0d7de;vertical-align:top}
pre{white-space:pre-wrap;background:#f6f8fa;padding:1rem;border-radius:6px}a{color:#0969da}.muted{color:#59636e}
</style></head><body>${body}</body></html>`;
}

/**
 * @param {{ host: string, smtpPort: number, httpPort: number }} opts
 * @returns {Promise<{ stop(): Promise<void>, messages: object[], smtpDown(): Promise<void>, smtpUp(): Promise<void> }>}
 *   smtpDown/smtpUp: the relay refuses connections (and drops open ones) until it is up again, as
 *   a relay that is down does (`npm run faults`); the inbox stays readable.
 */
export async function startMailSink({ host, smtpPort, httpPort }) {
  /** @type {{id:string, receivedAt:string, from:string, to:string[], subject:string, text:string, html:string}[]} */
  const messages = [];
  let seq = 0;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    banner: 'kratos-spa local mail sink',
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.unshift({
            id: String(++seq),
            receivedAt: new Date().toISOString(),
            from: mail.from?.text ?? session.envelope.mailFrom?.address ?? '',
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          });
          messages.length = Math.min(messages.length, MAX_MESSAGES);
          callback();
        })
        .catch(callback);
    },
  });

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const send = (status, type, body, headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    const htmlHeaders = { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" };

    if (url.pathname === '/api/messages' && req.method === 'GET') {
      const to = url.searchParams.get('to')?.toLowerCase();
      return send(200, 'application/json', JSON.stringify(to ? messages.filter((m) => m.to.includes(to)) : messages));
    }
    if (url.pathname === '/api/messages' && req.method === 'DELETE') {
      messages.length = 0;
      return send(204, 'text/plain', '');
    }
    const one = /^\/messages\/(\d+)(\/html)?$/.exec(url.pathname);
    if (one && req.method === 'GET') {
      const m = messages.find((x) => x.id === one[1]);
      if (!m) return send(404, 'text/html; charset=utf-8', page('Not found', '<p>No such message. <a href="/">Inbox</a></p>'), htmlHeaders);
      if (one[2]) {
        // The mail's own HTML, sandboxed: no scripts, no forms, no same-origin access.
        return send(200, 'text/html; charset=utf-8', m.html || '<p>(no HTML part)</p>', {
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
        });
      }
      return send(
        200,
        'text/html; charset=utf-8',
        page(
          m.subject,
          `<p><a href="/">← Inbox</a></p><h1>${esc(m.subject)}</h1>
<p class="muted">To ${esc(m.to.join(', '))} · from ${esc(m.from)} · ${esc(m.receivedAt)}${m.html ? ` · <a href="/messages/${m.id}/html">HTML version</a>` : ''}</p>
<pre>${esc(m.text)}</pre>`,
        ),
        htmlHeaders,
      );
    }
    if (url.pathname === '/' && req.method === 'GET') {
      const rows = messages
        .map(
          (m) =>
            `<tr><td>${esc(new Date(m.receivedAt).toLocaleTimeString())}</td><td>${esc(m.to.join(', '))}</td><td><a href="/messages/${m.id}">${esc(m.subject || '(no subject)')}</a></td></tr>`,
        )
        .join('');
      return send(
        200,
        'text/html; charset=utf-8',
        page(
          `Inbox (${messages.length})`,
          `<h1>Local inbox</h1><p class="muted">Every email Kratos sends in the local stack lands here. This page reloads every 5 seconds.</p>
${messages.length ? `<table><thead><tr><th>Time</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>No mail yet.</p>'}`,
          { refresh: true },
        ),
        htmlHeaders,
      );
    }
    return send(404, 'text/plain', 'not found');
  });

  await listen(smtp.server, smtpPort, host, 'mail sink (SMTP)');
  await listen(http, httpPort, host, 'mail sink (inbox page)');

  return {
    messages,
    async smtpDown() {
      await new Promise((r) => {
        smtp.server.close(() => r());
        for (const connection of smtp.connections) connection.close();
      });
    },
    async smtpUp() {
      if (!smtp.server.listening) await listen(smtp.server, smtpPort, host, 'mail sink (SMTP)');
    },
    async stop() {
      await Promise.all([new Promise((r) => smtp.close(r)), new Promise((r) => http.close(r))]);
      http.closeAllConnections?.();
    },
  };
}

const CODE = /\b(\d{6})\b/;

/**
 * The six-digit code in the `nth` mail (1: the first) to `to` among a running sink's `messages`
 * (newest first, as startMailSink keeps them), once it has come: for the checks that run a sink
 * in their own process.
 */
export async function codeInMessages(messages, to, { nth = 1, timeoutMs = 15_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = messages.filter((m) => m.to.includes(to.toLowerCase())).reverse()[nth - 1];
    const code = mail ? CODE.exec(mail.text)?.[1] : undefined;
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no code in mail number ${nth} to ${to} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The six-digit code in the newest mail to `email` at the sink's HTTP API (`mailUi`), once it has
 * `count` mails for that address: for the tools that sign up as a person does (by a mailed code).
 */
export async function mailedCode(mailUi, email, { count = 1, timeoutMs = 15_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await (await fetch(`${mailUi}/api/messages?to=${encodeURIComponent(email)}`)).json();
    const code = mails.length >= count ? CODE.exec(mails[0].text ?? '')?.[1] : undefined;
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no code in ${count} mail(s) to ${email} within ${timeoutMs / 1000} s (have ${mails.length})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
