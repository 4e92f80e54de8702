import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildProgram, type CliActions, type StaffAddOptions } from './program.js';
import { readNewPassword, type PasswordInput } from './read-password.js';

function actionsRecording(calls: unknown[]): CliActions {
  const unused = () => Promise.reject(new Error('not part of this test'));
  return {
    start: unused,
    serve: unused,
    work: unused,
    migrate: unused,
    evaluate: unused,
    clientAdd: unused,
    importTranscripts: unused,
    auditVerify: unused,
    staffAdd: (options: StaffAddOptions) => {
      calls.push(options);
      return Promise.resolve({ id: 'id-1', key: 'omb_staff_x' });
    },
    staffPassword: (username, password) => {
      calls.push({ username, password });
      return Promise.resolve({ sessionsEnded: 2 });
    },
  };
}

const run = (calls: unknown[], password: string, args: string[]) => {
  const program = buildProgram(actionsRecording(calls), '0.0.0', { readPassword: () => Promise.resolve(password) }).exitOverride();
  for (const command of program.commands) command.exitOverride().configureOutput({ writeErr: () => undefined });
  return program.parseAsync(args, { from: 'user' });
};

describe('ombuds staff password / staff add --password-stdin (command line)', () => {
  it('sets the password it reads', async () => {
    const calls: unknown[] = [];
    await run(calls, 'correct horse battery staple', ['staff', 'password', 'alice']);
    expect(calls).toEqual([{ username: 'alice', password: 'correct horse battery staple' }]);
  });

  it('refuses a password shorter than 12 characters, changing nothing', async () => {
    const calls: unknown[] = [];
    await expect(run(calls, 'short pass', ['staff', 'password', 'alice'])).rejects.toThrow(/at least 12 characters/);
    expect(calls).toEqual([]);
  });

  it('adds a staff member with a password only when --password-stdin is given', async () => {
    const calls: unknown[] = [];
    await run(calls, 'correct horse battery staple', ['staff', 'add', '--username', 'bob', '--password-stdin']);
    await run(calls, 'never read', ['staff', 'add', '--username', 'carol']);
    expect(calls).toEqual([
      { username: 'bob', name: 'bob', role: 'agent', teams: [], password: 'correct horse battery staple' },
      { username: 'carol', name: 'carol', role: 'agent', teams: [] },
    ]);
  });
});

describe('reading a new password', () => {
  it('reads all of a pipe, dropping one trailing newline', async () => {
    const pipe = new PassThrough();
    pipe.end('correct horse battery staple \r\n');
    expect(await readNewPassword(pipe as unknown as PasswordInput, { write: () => true })).toBe('correct horse battery staple ');
  });

  it('prompts twice on a terminal without echoing, with backspace, and refuses two different passwords', async () => {
    const typed = (keystrokes: string[]) => {
      const terminal = new PassThrough() as unknown as PasswordInput & PassThrough;
      const modes: boolean[] = [];
      terminal.isTTY = true;
      terminal.setRawMode = (mode: boolean) => modes.push(mode);
      const written: string[] = [];
      const reading = readNewPassword(terminal, { write: (text: string) => written.push(text) });
      // Each answer is typed once its prompt is up.
      const feed = async () => {
        for (const keys of keystrokes) {
          await new Promise((resolve) => setImmediate(resolve));
          terminal.write(keys);
        }
      };
      return { reading, feed: feed(), written, modes };
    };
    const same = typed(['secret passwordX\u007f\r', 'secret password\r']);
    await same.feed;
    expect(await same.reading).toBe('secret password');
    expect(same.written.join('')).not.toContain('secret');
    expect(same.modes).toEqual([true, false, true, false]);

    const different = typed(['secret password\r', 'another one\r']);
    await different.feed;
    await expect(different.reading).rejects.toThrow(/differ/);
  });
});
