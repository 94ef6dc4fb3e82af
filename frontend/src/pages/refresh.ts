// Re-authentication ("Confirm it is you", a login flow with refresh): the person is signed in,
// yet with sign-in by code on, Kratos (v1.3.1 and v26.2.0 alike) sends the identifier as an
// empty field to type in: the code method upserts it over the hidden, filled one the password
// method put there (selfservice/strategy/code/strategy.go, populateChooseMethodFlow). The address
// comes from the session instead, read-only (review finding 11). Loaded only for such a form.
import { call, kratos, requestInit } from '../kratos/client';

interface Whoami {
  identity?: { verifiable_addresses?: { value?: unknown }[] };
}

/** Fills the form's empty identifier field with the signed-in person's address, read-only. */
export async function fillSignedIn(form: HTMLElement, signal: AbortSignal): Promise<void> {
  const field = form.querySelector<HTMLInputElement>('input[name="identifier"]:not([type="hidden"])');
  if (!field || field.value) return;
  const reply = await call(() => kratos.get('/sessions/whoami', {}, requestInit(signal))).catch(() => null);
  if (signal.aborted || reply?.status !== 200) return;
  const address = (reply.body as Whoami).identity?.verifiable_addresses?.find((a) => typeof a.value === 'string')?.value;
  // Typed into meanwhile: what the person typed stays.
  if (typeof address !== 'string' || field.value) return;
  field.value = address;
  field.readOnly = true;
}
