import fs from 'node:fs';
import path from 'node:path';
import { Express, NextFunction, Request, Response } from 'express';
import { express } from '../shared/http';

/**
 * The console's built files (services/portal/web/dist, made by scripts/build-console.sh) at
 * GET /. Any other GET outside /api and the operations endpoints is a route of the console
 * itself (/risk-list, /employers/…) and gets index.html; the browser's router takes it from there.
 */
export const CONSOLE_DIST = path.resolve(__dirname, 'web', 'dist');

/** Paths that are never the console's pages (its catch-all route passes them on). */
export const NOT_CONSOLE = /^\/(api|healthz|readyz|metrics|openapi\.json)(\/|$)/;

export function consoleRoutes(app: Express, dist = CONSOLE_DIST): void {
  // Hashed file names: the assets never change under one name, the page itself always revalidates.
  app.use('/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  app.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
    if (NOT_CONSOLE.test(req.path)) return next();
    const file = path.join(dist, 'index.html');
    if (!fs.existsSync(file)) {
      res.status(503).type('text/plain; charset=utf-8').send('控制台尚未构建：请运行 bash scripts/build-console.sh（npm run demo / npm start / npm test 会自动构建）');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(file);
  });
}
