export { chromiumArgs, chromiumPath } from '../infra/local/chromium.mjs';
