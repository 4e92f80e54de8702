/**
 * Bounds a promise in time: a queue whose store is down must answer "unavailable" rather than hang its caller.
 */

/**
 * Settles like `work`, or rejects with `onTimeout()` if `work` has not settled within `timeoutMs`. A late rejection
 * of `work` is handled here, so it never becomes an unhandled rejection.
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(onTimeout());
    }, timeoutMs);
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
