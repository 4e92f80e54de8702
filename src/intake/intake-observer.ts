/**
 * What intake reports as it works; the HTTP layer turns it into Prometheus metrics. A no-op by default.
 */
export interface IntakeObserver {
  accepted(channel: string): void;
  duplicate(channel: string): void;
  enqueueFailed(count: number): void;
  batchWritten(size: number): void;
  processed(channel: string, secondsSinceReceived: number): void;
  failed(channel: string): void;
}

export const silentIntakeObserver: IntakeObserver = {
  accepted: () => undefined,
  duplicate: () => undefined,
  enqueueFailed: () => undefined,
  batchWritten: () => undefined,
  processed: () => undefined,
  failed: () => undefined,
};
