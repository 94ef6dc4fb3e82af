// Serves a production build the way GitHub Pages does, so deep links are tested for real:
// a file if there is one, else <path>.html (Pages serves /login from login.html), else a
// folder's index.html (after a redirect to the path with a slash), and otherwise 404.html with
// status 404.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { listen } from './processes.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * @param {{ dir: string, base: string, host: string, port: number }} opts
 *   base: the path the site lives under ("/" or "/repo/"), as on <owner>.github.io/<repo>/.
 */
export async function startPagesServer({ dir, base, host, port }) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    let path;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    const send = (status, file) => {
      res.writeHead(status, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      createReadStream(file).pipe(res);
    };
    const notFound = () => send(404, join(dir, '404.html'));
    if (!path.startsWith(base)) return notFound();
    const file = normalize(join(dir, path.slice(base.length)));
    if (file !== dir && !file.startsWith(dir + sep)) return notFound();
    if (existsSync(file) && statSync(file).isFile()) return send(200, file);
    if (!url.pathname.endsWith('/') && existsSync(`${file}.html`) && statSync(`${file}.html`).isFile()) return send(200, `${file}.html`);
    if (existsSync(join(file, 'index.html'))) {
      if (!url.pathname.endsWith('/')) {
        res.writeHead(301, { location: `${url.pathname}/${url.search}` });
        return res.end();
      }
      return send(200, join(file, 'index.html'));
    }
    return notFound();
  });
  await listen(server, port, host, 'GitHub Pages emulation');
  return {
    stop: () =>
      new Promise((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}
