/**
 * The bench's undo stack: every resource (child process, database, Redis keys) registers how to release it, and
 * `releaseAll` releases them last-in first-out, once, on success, on failure and on SIGINT/SIGTERM alike.
 */
type Undo = () => Promise<unknown>;

const stack: { name: string; undo: Undo }[] = [];
let releasing: Promise<void> | undefined;

/** Registers an undo action; returns a function that runs it now (and removes it from the stack). */
export function defer(name: string, undo: Undo): () => Promise<void> {
  const entry = { name, undo };
  stack.push(entry);
  return async () => {
    const index = stack.indexOf(entry);
    if (index === -1) return;
    stack.splice(index, 1);
    await entry.undo();
  };
}

export function releaseAll(): Promise<void> {
  releasing ??= (async () => {
    for (let entry = stack.pop(); entry; entry = stack.pop()) {
      try {
        await entry.undo();
      } catch (error) {
        console.error(`bench: cleanup of ${entry.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return releasing;
}

/** On SIGINT/SIGTERM: release everything, then exit with 128 + signal number. */
export function releaseOnSignals(onSignal: () => void): void {
  const handle = (signal: NodeJS.Signals, code: number) => {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, cleaning up…`);
      onSignal();
      void releaseAll().finally(() => process.exit(code));
    });
  };
  handle('SIGINT', 130);
  handle('SIGTERM', 143);
}
