import assert from 'node:assert/strict';
import { definitionAt, type KnownDefinitions } from './group-history.ts';

const known = (over: Partial<KnownDefinitions> = {}): KnownDefinitions => ({
  current: { version: '2024-03-01T00:00:00.000Z', spec: { cmd: 'v3' } },
  history: [
    { version: '2024-02-01T00:00:00.000Z', app: { cmd: 'v2' } },
    { version: '2024-01-01T00:00:00.000Z', app: { cmd: 'v1' } },
  ],
  truncated: false,
  createdAt: '2024-01-01T00:00:00Z',
  ...over,
});

describe('group history', () => {
  it('picks the newest definition not later than the version asked for', () => {
    const at = (ts: string) => {
      const r = definitionAt(known(), ts);
      return r.kind === 'present' ? [r.spec.cmd, r.current] : r.kind;
    };
    assert.deepEqual(at('2024-03-05T00:00:00Z'), ['v3', true]);
    assert.deepEqual(at('2024-03-01T00:00:00Z'), ['v3', true]);
    assert.deepEqual(at('2024-02-15T00:00:00.000Z'), ['v2', false]);
    assert.deepEqual(at('2024-01-01T00:00:00.000Z'), ['v1', false]);
  });

  it('knows an app did not exist yet only when its whole history is known or it was created later', () => {
    assert.equal(definitionAt(known(), '2023-12-01T00:00:00Z').kind, 'absent');
    assert.equal(
      definitionAt(known({ truncated: true, createdAt: '2023-11-01T00:00:00Z' }), '2023-12-01T00:00:00Z')
        .kind,
      'unknown',
    );
    assert.equal(
      definitionAt(known({ truncated: true, createdAt: '2023-12-31T00:00:00Z' }), '2023-12-01T00:00:00Z')
        .kind,
      'absent',
    );
  });
});
