/**
 * Reads the project's own fixtures (never ../shared).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export function fixturePath(relative: string): string {
  return `${FIXTURES}${relative}`;
}

export function readJsonFixture(relative: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fixturePath(relative), 'utf8')) as Record<string, unknown>;
}

export function listFixtures(folder: string, extension = '.json'): string[] {
  return readdirSync(fixturePath(folder)).filter((file) => file.endsWith(extension)).sort().map((file) => `${folder}/${file}`);
}
