import { describe, expect, it } from 'vitest';
import { isOmbudsError } from '../shared/errors.js';
import { llmConfigured, loadEnv } from './env.js';

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
    ['OPENAI_BASE_URL', 'localhost:11434'],
    ['OPENAI_BASE_URL', 'ftp://models.example/v1'],
    ['LLM_TIMEOUT_MS', '10'],
    ['LLM_CONCURRENCY', '0'],
    ['LLM_BREAKER_FAILURES', 'five'],
    ['LLM_BREAKER_COOLDOWN_MS', '-1'],
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

  it('leaves the LLM off with its defaults for an empty environment', () => {
    const env = loadEnv({});
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(env.OPENAI_BASE_URL).toBeUndefined();
    expect(env.OPENAI_MODEL).toBe('gpt-4o-mini');
    expect(env.LLM_TIMEOUT_MS).toBe(8_000);
    expect(env.LLM_CONCURRENCY).toBe(4);
    expect(env.LLM_BREAKER_FAILURES).toBe(5);
    expect(env.LLM_BREAKER_COOLDOWN_MS).toBe(30_000);
    expect(llmConfigured(env)).toBe(false);
  });

  it('parses the LLM settings', () => {
    const env = loadEnv({
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'qwen2.5:7b',
      LLM_TIMEOUT_MS: '2500',
      LLM_CONCURRENCY: '2',
      LLM_BREAKER_FAILURES: '3',
      LLM_BREAKER_COOLDOWN_MS: '1000',
    });
    expect(env).toMatchObject({
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'qwen2.5:7b',
      LLM_TIMEOUT_MS: 2_500,
      LLM_CONCURRENCY: 2,
      LLM_BREAKER_FAILURES: 3,
      LLM_BREAKER_COOLDOWN_MS: 1_000,
    });
  });

  it.each([
    [{ OPENAI_API_KEY: 'sk-test' }, true],
    [{ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' }, true],
    [{ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'https://example.openai.azure.com/openai/v1' }, true],
    [{ OPENAI_API_KEY: '', OPENAI_BASE_URL: '' }, false],
  ])('llmConfigured(%o) is %s', (source, expected) => {
    expect(llmConfigured(loadEnv(source))).toBe(expected);
  });

  it('never puts the API key in a configuration error', () => {
    let thrown: unknown;
    try {
      loadEnv({ OPENAI_API_KEY: 'sk-secret-value', LLM_TIMEOUT_MS: 'soon' });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toContain('LLM_TIMEOUT_MS');
    expect((thrown as Error).message).not.toContain('sk-secret-value');
  });
});
