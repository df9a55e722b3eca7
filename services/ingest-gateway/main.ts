import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { Lifecycle } from '../shared/lifecycle';
import { startGateway } from './gateway';

/** The ingest gateway as a process: configuration, logging, start, graceful stop. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('ingest-gateway', config.logLevel);
  const lifecycle = new Lifecycle(logger);
  lifecycle.installSignalHandlers();
  const gateway = await startGateway({ config, logger });
  lifecycle.onShutdown('gateway', () => gateway.close());
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error('接入网关启动失败 (ingest gateway failed to start):', err instanceof Error ? err.message : err);
  process.exit(1);
});
