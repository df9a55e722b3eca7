import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { Lifecycle } from '../shared/lifecycle';
import { loadRegionConfig } from '../shared/regionConfig';
import { startPortal } from './portal';

/** The portal (read API, :8090) as a process: configuration, logging, start, graceful stop. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('portal', config.logLevel);
  const lifecycle = new Lifecycle(logger);
  lifecycle.installSignalHandlers();
  const portal = await startPortal({ config, logger, region: loadRegionConfig() });
  lifecycle.onShutdown('portal', () => portal.close());
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error('门户查询接口启动失败 (portal failed to start):', err instanceof Error ? err.message : err);
  process.exit(1);
});
