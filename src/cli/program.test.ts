import { afterEach, describe, expect, it } from 'vitest';
import { buildProgram, type AuditVerifyOptions, type CliActions } from './program.js';

function fakeActions(exitCode: number, calls: AuditVerifyOptions[]): CliActions {
  const unused = () => Promise.reject(new Error('not part of this test'));
  return {
    start: unused,
    serve: unused,
    work: unused,
    migrate: unused,
    evaluate: unused,
    staffAdd: unused,
    staffPassword: unused,
    clientAdd: unused,
    importTranscripts: unused,
    auditVerify: (options) => {
      calls.push(options);
      return Promise.resolve(exitCode);
    },
  };
}

describe('ombuds audit verify (command line)', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('verifies every complaint, and sets the exit code the action returns', async () => {
    const calls: AuditVerifyOptions[] = [];
    await buildProgram(fakeActions(1, calls), '0.0.0').exitOverride().parseAsync(['audit', 'verify'], { from: 'user' });
    expect(calls).toEqual([{}]);
    expect(process.exitCode).toBe(1);
  });

  it('passes --complaint through', async () => {
    const calls: AuditVerifyOptions[] = [];
    await buildProgram(fakeActions(0, calls), '0.0.0').exitOverride().parseAsync(['audit', 'verify', '--complaint', 'CMP-2026-000001'], { from: 'user' });
    expect(calls).toEqual([{ complaint: 'CMP-2026-000001' }]);
    expect(process.exitCode).toBe(0);
  });

  it('refuses --complaint without a value', async () => {
    const calls: AuditVerifyOptions[] = [];
    const program = buildProgram(fakeActions(0, calls), '0.0.0').exitOverride();
    for (const command of program.commands) command.exitOverride().configureOutput({ writeErr: () => undefined });
    const audit = program.commands.find((command) => command.name() === 'audit');
    for (const command of audit?.commands ?? []) command.exitOverride().configureOutput({ writeErr: () => undefined });
    await expect(program.parseAsync(['audit', 'verify', '--complaint'], { from: 'user' })).rejects.toThrow(/argument missing/);
    expect(calls).toEqual([]);
  });
});
