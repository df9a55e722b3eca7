import { logLevel } from 'kafkajs';
import { kafkaLogLevel } from './kafka';

describe('kafkajs messages in our logs', () => {
  it('keeps the start-up "coordinator is loading" retry out of the error log', () => {
    expect(kafkaLogLevel(logLevel.ERROR, 'Response InitProducerId(key: 22, version: 1)', "The coordinator is loading and hence can't process requests for this group")).toBe('debug');
  });

  it('keeps the deliberate bounded-retries notice out of the warnings', () => {
    expect(kafkaLogLevel(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees', '')).toBe('debug');
  });

  it('still reports a real broker error as an error', () => {
    expect(kafkaLogLevel(logLevel.ERROR, 'Connection error', 'connect ECONNREFUSED 127.0.0.1:9092')).toBe('error');
  });
});
