import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { APP_VERSION_ANNOTATION } from '../../marathon/names.ts';
import type { StoppingApp } from './stopping.ts';
import { StoppingApps } from './stopping.ts';

describe('apps being removed', () => {
  const deletedAt = Date.parse('2026-02-01T00:00:10.000Z');
  const entry: StoppingApp = {
    deploymentId: 'd1',
    version: '2026-02-01T00:00:10.000Z',
    appId: '/web',
    namespace: 'ns',
    name: 'web',
    podsKey: 'ns/web',
    lastVersion: '2026-02-01T00:00:00.000Z',
    deletedAt,
    spec: { cmd: 'x' },
  };
  const pod = (version: string): V1Pod => ({
    metadata: { name: 'p', annotations: { [APP_VERSION_ANNOTATION]: version } },
  });

  it("is listed while the app's pods exist, and forgotten when they are gone", () => {
    const s = new StoppingApps();
    s.add(entry);
    let pods = [pod('2026-02-01T00:00:00.000Z')];
    const podsOf = (key: string) => (key === 'ns/web' ? pods : []);
    assert.equal(s.get('/web', podsOf, deletedAt + 1000)?.deploymentId, 'd1');
    pods = [];
    assert.deepEqual(s.list(podsOf, deletedAt + 2000), []);
    assert.equal(
      s.get('/web', () => [pod('2026-02-01T00:00:00.000Z')], deletedAt + 3000),
      undefined,
    );
  });

  it('does not count the pods of an app re-created under the same name, and expires', () => {
    const s = new StoppingApps();
    s.add(entry);
    assert.deepEqual(
      s.list(() => [pod('2026-02-01T00:00:11.000Z')], deletedAt + 1000),
      [],
    );
    s.add(entry);
    assert.deepEqual(
      s.list(() => [pod('2026-02-01T00:00:00.000Z')], deletedAt + 11 * 60_000),
      [],
    );
    s.add(entry);
    s.remove('/web');
    assert.deepEqual(
      s.list(() => [pod('2026-02-01T00:00:00.000Z')], deletedAt),
      [],
    );
  });
});
