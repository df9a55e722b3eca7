import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { Lifecycle } from '../shared/lifecycle';
import { loadRegionConfig } from '../shared/regionConfig';
import { startCorrelator } from './correlator';

async function main() {
  const config = loadConfig();
  const region = loadRegionConfig();
  const logger = createLogger('correlator', config.logLevel);
  const life = new Lifecycle(logger);
  life.installSignalHandlers();
  const correlator = await startCorrelator({
    config,
    region,
    logger,
    groupId: config.correlatorGroup,
    startAt: config.correlatorStart,
    sessionTimeoutMs: config.kafkaSessionTimeoutMs,
    sweepSchedule: config.sweepCron,
    maxEventsPerTransaction: config.correlatorTransactionEvents,
  });
  life.onShutdown('correlator', () => correlator.close());
  logger.info({ region: region.regionName }, '关联服务已启动 (correlator started)');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
