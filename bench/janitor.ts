/**
 * The janitor: `node --import tsx bench/janitor.ts <bench pid> <redis url>`, started detached by an interrupted
 * bench. It waits for that bench process to end (at most two minutes), then sweeps what it left behind — needed
 * because `npm run bench` runs under tsx's CLI, which may SIGKILL the bench a few milliseconds after relaying a
 * Ctrl-C, before the bench has dropped its databases.
 */
import { isAlive, sweepLeftovers } from './sweep.js';

const [pidArg, redisUrl] = process.argv.slice(2);
const benchPid = Number(pidArg);
if (!Number.isInteger(benchPid) || benchPid <= 0 || redisUrl === undefined) {
  console.error('usage: node --import tsx bench/janitor.ts <bench pid> <redis url>');
  process.exit(2);
}
const deadline = Date.now() + 120_000;
while (isAlive(benchPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
if (isAlive(benchPid)) process.exit(0);
const swept = await sweepLeftovers(redisUrl, benchPid);
if (swept.length > 0) console.error(`bench janitor: swept ${swept.join('; ')}`);
process.exit(0);
