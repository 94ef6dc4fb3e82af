// Runs in 404.html, which GitHub Pages serves for every path without a file (deep links such as
// /login?flow=…). It moves the path into the query of the app's index and goes there; the app
// restores it (deep-link.ts). Paths outside the app's base get a plain "not found" text.
import { encodeDeepLink } from './deep-link';

const target = encodeDeepLink(window.location, import.meta.env.BASE_URL);
if (target !== null) window.location.replace(target);
else document.getElementById('message')?.removeAttribute('hidden');
