import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { Lifecycle } from '../shared/lifecycle';
import { loadRegionConfig } from '../shared/regionConfig';
import { startReporter } from './reporter';

/** The reporter as a process: the weekly schedule and the portal's requests (lists, documents). */
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
  logger.info('报告服务已启动 (reporter started)');
}

main().catch((err) => {
  console.error('报告服务启动失败 (reporter failed to start):', err instanceof Error ? err.message : err);
  process.exit(1);
});
