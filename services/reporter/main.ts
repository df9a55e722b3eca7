import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { Lifecycle } from '../shared/lifecycle';
import { loadRegionConfig } from '../shared/regionConfig';
import { startPortal } from '../portal/portal';
import { startReporter } from './reporter';

/** The reporter (weekly schedule) and the read API on the portal's port, in one process. */
async function main() {
  const config = loadConfig();
  const region = loadRegionConfig();
  const logger = createLogger('reporter', config.logLevel);
  const life = new Lifecycle(logger);
  life.installSignalHandlers();
  const reporter = await startReporter({
    config,
    region,
    logger,
    schedule: process.env.WHP_RISKLIST_CRON ?? '0 8 * * 1',
    outputDir: process.env.WHP_REPORT_DIR || undefined,
  });
  life.onShutdown('reporter', () => reporter.close());
  const portal = await startPortal({ config, region, extraRoutes: reporter.routes });
  life.onShutdown('portal', () => portal.close());
  logger.info({ portal: portal.url }, '报告服务已启动 (reporter started)');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
