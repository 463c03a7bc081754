/**
 * Serves the web dashboard (src/web, built into `dist/web` by `npm run build`) at `/ui/` and
 * redirects `/` there. The files are static: what they show comes from the REST API, called with
 * the operator's token from the browser. A strict Content-Security-Policy allows only this
 * origin's scripts, styles and API (the pages build the DOM from text, never from markup).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
  + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * `dist/web` of this package, found by walking up to its package.json (the server runs from
 * `src/` under tsx and from `dist/src/` when built); `undefined` when not built.
 */
export function builtDashboardDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const web = join(dir, 'dist', 'web');
      return existsSync(join(web, 'index.html')) ? web : undefined;
    }
  }
  return undefined;
}

/** Registers `/ui/*` (the dashboard's files) and `GET /` → `/ui/`. */
export async function registerDashboard(app: FastifyInstance, opts: { readonly dir: string | undefined }): Promise<void> {
  const toUi = async (_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => reply.redirect('/ui/');
  app.get('/', toUi);
  app.get('/ui', toUi);
  if (opts.dir === undefined) {
    // Running from a checkout that was never built: say so instead of a bare 404.
    const notBuilt = async (_req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
      reply.code(503).type('text/plain; charset=utf-8').send('The dashboard is not built: run `npm run build`.\n');
    app.get('/ui/*', notBuilt);
    return;
  }
  await app.register(fastifyStatic, {
    root: opts.dir,
    prefix: '/ui/',
    redirect: true,
    decorateReply: false,
    index: 'index.html',
    cacheControl: false,
    setHeaders: (res) => {
      res.setHeader('content-security-policy', CSP);
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      // Revalidated on every load (ETag), so a new build is picked up at once.
      res.setHeader('cache-control', 'no-cache');
    },
  });
}
