import { describe, expect, test } from 'vitest';
import { parseTokens, TokensFileError } from '../src/index.js';

const ok = { token: 'a-token-of-16-chars+', access: 'read-write', scope: 'main' };
const parse = (value: unknown) => () => parseTokens(JSON.stringify(value), 'tokens.json');

describe('tokens file', () => {
  test('a valid file: read-write tokens write into their scope and read it first, then the scopes they trust', () => {
    const table = parseTokens(
      JSON.stringify({
        tokens: [
          ok,
          { token: 'student-token-000001', access: 'read-write', scope: 'alice', reads: ['main', 'alice'] },
          { token: 'reader-token-0000001', access: 'read', reads: ['main'] },
        ],
      }),
    );
    expect(table.size).toBe(3);
    expect(table.authorize('Bearer student-token-000001')).toMatchObject({
      access: 'read-write',
      scope: 'alice',
      readOrder: ['alice', 'main'],
    });
    expect(table.authorize('Bearer reader-token-0000001')).toMatchObject({ access: 'read', readOrder: ['main'] });
    expect(table.authorize('bearer a-token-of-16-chars+')?.scope).toBe('main');
    expect(table.authorize(undefined)).toBeUndefined();
    expect(table.authorize('Bearer')).toBeUndefined();
    expect(table.authorize('Bearer reader-token-000000')).toBeUndefined();
    expect(table.scopes().sort()).toEqual(['alice', 'main']);
  });

  test.each([
    ['not JSON', '{tokens: []', /^tokens\.json: not valid JSON/],
    ['no tokens', {}, /^tokens\.json: tokens: /],
    ['an empty list', { tokens: [] }, /^tokens\.json: tokens: list at least one token$/],
    ['a bad access', { tokens: [{ ...ok, access: 'write' }] }, /^tokens\.json: tokens\.0\.access: Invalid option/],
    [
      'a read-write token without a scope',
      { tokens: [{ token: ok.token, access: 'read-write' }] },
      /^tokens\.json: tokens\.0\.scope: a read-write token needs the scope/,
    ],
    ['a short token', { tokens: [{ ...ok, token: 'short' }] }, /^tokens\.json: tokens\.0\.token: a token needs at least 16 characters$/],
    [
      'a token with a space',
      { tokens: [{ ...ok, token: 'has a space in it ok' }] },
      /^tokens\.json: tokens\.0\.token: a token is printable ASCII/,
    ],
    ['a scope that is a path', { tokens: [{ ...ok, scope: '../main' }] }, /^tokens\.json: tokens\.0\.scope: a scope is/],
    ['a trusted scope that is a path', { tokens: [{ ...ok, reads: ['main', 'a/b'] }] }, /^tokens\.json: tokens\.0\.reads\.1: a scope is/],
    ['an unknown key', { tokens: [{ ...ok, name: 'alice' }] }, /^tokens\.json: tokens\.0: unknown key 'name'$/],
    ['an unknown top-level key', { tokens: [ok], version: 1 }, /^tokens\.json: \(top level\): unknown key 'version'$/],
    ['the same token twice', { tokens: [ok, { ...ok, scope: 'other' }] }, /^tokens\.json: tokens\.1\.token: the same token as tokens\.0$/],
    [
      'a read token that reads nothing',
      { tokens: [{ token: ok.token, access: 'read' }] },
      /^tokens\.json: tokens\.0\.reads: a read token needs/,
    ],
  ])('%s: one line naming the field', (_label, value, message) => {
    const run = typeof value === 'string' ? () => parseTokens(value, 'tokens.json') : parse(value);
    expect(run).toThrow(TokensFileError);
    try {
      run();
    } catch (error) {
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
