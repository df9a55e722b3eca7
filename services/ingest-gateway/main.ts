import { loadConfig } from '../shared/config';
import { loadRegionConfig } from '../shared/regionConfig';
import { createLogger } from '../shared/logger';
import { Lifecycle } from '../shared/lifecycle';
import { startGateway } from './gateway';

/** The ingest gateway as a process: configuration, logging, start, graceful stop. */
async function main(): Promise<void> {
  const config = loadConfig();
  const region = loadRegionConfig(); // region codes are checked against its province's GB/T 2260 table
  const logger = createLogger('ingest-gateway', config.logLevel);
  const lifecycle = new Lifecycle(logger);
  lifecycle.installSignalHandlers();
  const gateway = await startGateway({ config, logger, region });
  lifecycle.onShutdown('gateway', () => gateway.close());
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error('接入网关启动失败 (ingest gateway failed to start):', err instanceof Error ? err.message : err);
  process.exit(1);
});
