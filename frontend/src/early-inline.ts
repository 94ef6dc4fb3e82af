// The inline script at the top of every app page (build/early-entry.ts bundles this file on its
// own and writes it into the HTML; the CSP allows exactly its SHA-256): the page's flow request
// leaves while the parser is still reading the page, before any other script or stylesheet; then
// the page's language is decided, so the frame is painted in its direction and the app does not
// open localStorage on its way to the form.
import { BASE_PATH } from './config';
import { decideLanguage } from './i18n/preference';
import { startEarly } from './kratos/early';

startEarly(window, BASE_PATH);
decideLanguage(window);
