/**
 * Reading a new password for `ombuds staff password` and `ombuds staff add --password-stdin`: from a pipe, the whole
 * of stdin (one trailing newline dropped), so scripts never put it in an argument (visible in `ps` and the shell's
 * history); on a terminal, typed twice at a prompt that echoes nothing.
 */

/** What the reader needs of stdin (a TTY has setRawMode). */
export interface PasswordInput extends AsyncIterable<Buffer | string> {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface PromptOutput {
  write(text: string): unknown;
}

/** More than any password (1,024 characters at most): a pipe that goes on is refused rather than read into memory. */
const MAX_PIPED_BYTES = 64 * 1024;

async function readPiped(input: PasswordInput): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    size += bytes.length;
    if (size > MAX_PIPED_BYTES) throw new Error('The password read from stdin is too long.');
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** One line typed without echo: Enter ends it, Backspace erases, Ctrl-C (or Ctrl-D on an empty line) gives up. */
function promptHidden(input: PasswordInput, output: PromptOutput, prompt: string): Promise<string> {
  output.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error: Error | null) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const character of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (character === '\r' || character === '\n') {
          finish(null);
          return;
        }
        if (character === '\u0003' || (character === '\u0004' && typed === '')) {
          finish(new Error('No password given.'));
          return;
        }
        if (character === '\u007f' || character === '\b') typed = Array.from(typed).slice(0, -1).join('');
        else if (character >= ' ') typed += character;
      }
    };
    input.setRawMode?.(true);
    input.on('data', onData);
    input.resume();
  });
}

/** A new password from stdin: piped, or typed twice on a terminal (they must match). */
export async function readNewPassword(input: PasswordInput = process.stdin, output: PromptOutput = process.stderr): Promise<string> {
  if (!input.isTTY) return readPiped(input);
  const first = await promptHidden(input, output, 'New password: ');
  const second = await promptHidden(input, output, 'Repeat the new password: ');
  if (first !== second) throw new Error('The two passwords typed differ; nothing was changed.');
  return first;
}
