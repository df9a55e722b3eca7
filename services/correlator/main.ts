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
    groupId: process.env.WHP_CORRELATOR_GROUP || 'whp-correlator',
    startAt: process.env.WHP_CORRELATOR_START === 'latest' ? 'latest' : 'earliest',
    sessionTimeoutMs: process.env.WHP_KAFKA_SESSION_TIMEOUT_MS ? Number(process.env.WHP_KAFKA_SESSION_TIMEOUT_MS) : undefined,
    sweepSchedule: process.env.WHP_SWEEP_CRON ?? '*/15 * * * *',
    maxEventsPerTransaction: config.correlatorTransactionEvents,
  });
  life.onShutdown('correlator', () => correlator.close());
  logger.info({ region: region.regionName }, '关联服务已启动 (correlator started)');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
