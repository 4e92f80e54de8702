import { describe, expect, it } from 'vitest';
import { isOmbudsError } from '../shared/errors.js';
import { loadEnv } from './env.js';

describe('loadEnv', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const env = loadEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.BODY_LIMIT_BYTES).toBe(262_144);
    expect(env.REGIME).toBe('cn_nfra');
    expect(env.PRODUCT_TEAMS.cards).toBe('cards');
  });

  it('parses a product → team map', () => {
    expect(loadEnv({ PRODUCT_TEAMS: 'cards=card_ops, loans=lending' }).PRODUCT_TEAMS).toEqual({ cards: 'card_ops', loans: 'lending' });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['REDIS_URL', 'not a url'],
    ['REGIME', 'mars'],
    ['TIMEZONE', 'Mars/Olympus'],
    ['PRODUCT_TEAMS', 'spaceships=astro'],
    ['BODY_LIMIT_BYTES', '10'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses %s=%s and names the variable', (name, value) => {
    let thrown: unknown;
    try {
      loadEnv({ [name]: value });
    } catch (error) {
      thrown = error;
    }
    expect(isOmbudsError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain(name);
    expect((thrown as { code: string }).code).toBe('CONFIG_INVALID');
  });

  it('treats empty strings as unset', () => {
    expect(loadEnv({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });
});
