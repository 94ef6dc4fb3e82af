// @vitest-environment node
// The benchmark's count of sequential requests, its split of the time after Kratos's answer (a
// script's arithmetic, checked here) and the bare pages it measures the floors with.
import { Window } from 'happy-dom';
import { describe, expect, it, vi } from 'vitest';
import loginBrowser from '../../frontend/src/fixtures/login-browser.json';
import { TIMING_MARKS as APP_MARKS } from '../../frontend/src/timing';
import { afterAnswer, answerSplit, criticalPath, floorPage, handOverPage, submitButton, TIMING_MARKS } from './benchmark.mjs';

const req = (start, end, type = 'script', url = 'https://id.example.com/assets/app.js') => ({ start, end, type, url });

describe('criticalPath', () => {
  it('counts the longest chain of requests each started after the one before finished', () => {
    // page → (app, flow request side by side) → nothing else: two in a row.
    expect(criticalPath([req(0, 10, 'document'), req(11, 30), req(12, 25, 'fetch')], 40, 50)).toBe(2);
    // page → app → flow request: three.
    expect(criticalPath([req(0, 10, 'document'), req(11, 30), req(31, 45, 'fetch')], 46, 50)).toBe(3);
  });

  it('leaves out requests started once the form was in the DOM (the form did not wait for them), those that end after it was painted, and the tab icon', () => {
    const page = [req(0, 10, 'document'), req(11, 30)];
    expect(criticalPath([...page, req(41, 44)], 40, 50)).toBe(2); // started after the form was there
    expect(criticalPath([...page, req(31, 60)], 40, 50)).toBe(2); // ended after the paint
    expect(criticalPath([...page, req(31, 35, 'other')], 40, 50)).toBe(2); // favicon
    expect(criticalPath([...page, req(31, 35)], 40, 50)).toBe(3);
  });
});

describe('afterAnswer', () => {
  // The page's responses, as its Navigation and Resource Timing entries give them, with their requests' types.
  const response = (end, url = 'https://id.example.com/assets/app.js', type = 'script') => ({ url, end, type });
  const kratos = (r) => r.url.startsWith('https://kratos.example.com/');
  it('measures from the last response that finished before the button was there, or the last of Kratos\'s', () => {
    const responses = [response(10, 'https://id.example.com/login', 'document'), response(30), response(25, 'https://kratos.example.com/self-service/login/browser', 'fetch')];
    expect(afterAnswer(responses, 40)).toBe(10); // the app's script came last
    expect(afterAnswer(responses, 40, kratos)).toBe(15);
  });

  it('ignores what ended later, and the tab icon; null when nothing matches', () => {
    const responses = [response(10, 'https://id.example.com/login', 'document'), response(50), response(35, 'https://id.example.com/favicon.svg', 'other'), response(45, 'https://kratos.example.com/sessions/whoami')];
    expect(afterAnswer(responses, 40)).toBe(30);
    expect(afterAnswer(responses, 40, kratos)).toBeNull();
  });
});

describe('answerSplit', () => {
  const marks = (flowAnswer, appStart) => ({ [TIMING_MARKS.flowAnswer]: flowAnswer, [TIMING_MARKS.appStart]: appStart });

  it('reads the marks the app sets, by the same names', () => {
    expect(TIMING_MARKS).toEqual(APP_MARKS);
  });

  it('splits the time after the answer: until the script has it, waiting for the app\'s code, the app\'s own work', () => {
    // The network had the answer at 100; the script read it at 130; the app started at 150; the form at 160.
    expect(answerSplit(100, 160, marks(130, 150))).toEqual({ toScriptMs: 30, codeWaitMs: 20, appWorkMs: 10 });
    // The app was running already and waited for the answer: its work starts with the answer.
    expect(answerSplit(100, 145, marks(130, 110))).toEqual({ toScriptMs: 30, codeWaitMs: 0, appWorkMs: 15 });
  });

  it('is null for a page without the marks (the reference UI) or without an answer', () => {
    expect(answerSplit(100, 160, {})).toBeNull();
    expect(answerSplit(100, 160, { [TIMING_MARKS.flowAnswer]: 130 })).toBeNull();
    expect(answerSplit(null, 160, marks(130, 150))).toBeNull();
  });
});

// The bare pages' scripts run: they are this file's own pages, answered with a flow captured from Kratos.
const runsScripts = { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true };
/** The one request each bare page sends: the login flow, with cookies and JSON, as the app asks. */
const asksAsTheApp = [{ url: 'http://localhost:14433/self-service/login/browser', init: { credentials: 'include', headers: { Accept: 'application/json' } } }];

describe('floorPage', () => {
  it('asks Kratos for the flow as the app does and appends its inputs and buttons, which the benchmark waits for', async () => {
    const window = new Window({ url: 'http://127.0.0.1:15173/bench-floor/login', settings: runsScripts });
    const asked = [];
    window.fetch = async (url, init) => {
      asked.push({ url, init });
      return { json: async () => loginBrowser.body };
    };
    window.document.write(floorPage('http://localhost:14433', 'login'));
    await window.happyDOM.waitUntilComplete();
    expect(asked).toEqual(asksAsTheApp);
    const button = window.document.querySelector('button[name="method"][value="password"]');
    expect(button?.textContent).toBe('Sign in with password'); // Kratos's label, from the captured flow
    expect(window.document.querySelector('input[name="csrf_token"]')?.getAttribute('type')).toBe('hidden');
    await window.happyDOM.close();
  });
});

describe('handOverPage', () => {
  it('asks Kratos for the flow as the app does, reads the answer whole, and only then appends the one button the benchmark waits for', async () => {
    const window = new Window({ url: 'http://127.0.0.1:15173/bench-hand-over/login', settings: runsScripts });
    const asked = [];
    let bodyRead = () => {};
    const body = new Promise((resolve) => (bodyRead = () => resolve(JSON.stringify(loginBrowser.body))));
    window.fetch = async (url, init) => {
      asked.push({ url, init });
      return { text: () => body };
    };
    const { submit, ready } = submitButton('method', 'password');
    window.document.write(handOverPage('http://localhost:14433', 'login', submit));
    await vi.waitFor(() => expect(asked).toEqual(asksAsTheApp));
    expect(window.document.querySelector(ready)).toBeNull(); // the body is still coming
    bodyRead();
    await window.happyDOM.waitUntilComplete();
    expect(window.document.querySelectorAll(ready)).toHaveLength(1);
    expect(window.document.body.children).toHaveLength(1); // nothing else to draw
    await window.happyDOM.close();
  });
});
