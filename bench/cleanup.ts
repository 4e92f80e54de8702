/**
 * The bench's undo stack: every resource (child process, database, Redis keys) registers how to release it, and
 * `releaseAll` releases them last-in first-out, once, on success, on failure and on SIGINT/SIGTERM alike. A
 * resource registered after the release began (the bench was interrupted while creating it) is released at once.
 */
type Undo = () => Promise<unknown>;

const stack: { name: string; undo: Undo }[] = [];
const late: Promise<void>[] = [];
let releasing: Promise<void> | undefined;
let interruptedBy: NodeJS.Signals | null = null;

async function release(name: string, undo: Undo): Promise<void> {
  try {
    await undo();
  } catch (error) {
    console.error(`bench: cleanup of ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Registers an undo action; returns a function that runs it now (and removes it from the stack). */
export function defer(name: string, undo: Undo): () => Promise<void> {
  if (releasing) {
    late.push(release(name, undo));
    throw new Error(`the bench is shutting down (${name} released at once)`);
  }
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
    for (let entry = stack.pop(); entry; entry = stack.pop()) await release(entry.name, entry.undo);
  })();
  return releasing;
}

/** Releases everything, including what was registered late; call before exiting. */
export async function settle(): Promise<void> {
  await releaseAll();
  await Promise.all(late);
}

/** The signal that interrupted the bench, if one did. */
export function interruption(): NodeJS.Signals | null {
  return interruptedBy;
}

/**
 * On SIGINT/SIGTERM: stop the load (`onSignal`) and start releasing at once (children die, databases go, so the
 * main flow fails fast); the caller exits after its flow settled. A second signal (Ctrl-C twice, or tsx relaying
 * the one the process group already got) is ignored; if nothing settles within 30 s the bench exits anyway.
 */
export function releaseOnSignals(onSignal: () => void): void {
  const handle = (signal: NodeJS.Signals) => {
    process.on(signal, () => {
      if (interruptedBy) return;
      interruptedBy = signal;
      console.error(`\nbench: ${signal}, cleaning up…`);
      onSignal();
      void releaseAll();
      setTimeout(() => {
        console.error('bench: cleanup did not finish within 30 s; exiting');
        process.exit(1);
      }, 30_000);
    });
  };
  handle('SIGINT');
  handle('SIGTERM');
}
