// The inline script at the top of every app page (build/early-entry.ts bundles this file on its
// own and writes it into the HTML; the CSP allows exactly its SHA-256): the page's flow request
// leaves while the parser is still reading the page, before any other script or stylesheet.
import { BASE_PATH } from './config';
import { startEarly } from './kratos/early';

startEarly(window, BASE_PATH);
