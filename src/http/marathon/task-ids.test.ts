import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { taskId } from '../../marathon/status.ts';
import { parseTaskId, podOfInstance, taskIdsOf } from './task-ids.ts';

describe('Marathon task ids', () => {
  const pod = (uid: string, name: string): V1Pod => ({ metadata: { uid, name, namespace: 'ns' } });
  const uid = '6f1d8c2e-0b8a-4a47-9d7e-3f0c1a2b3c4d';

  it('reads back the app and pod of the ids the API hands out', () => {
    for (const appId of ['/web', '/prod/shop/web', '/my.app', '/a-b/c']) {
      const id = taskId(appId, pod(uid, 'web-abc'));
      assert.deepEqual(parseTaskId(id), { appId, instance: uid });
    }
  });

  it('reads the pre-1.5 form and refuses what is not a task id', () => {
    assert.deepEqual(parseTaskId(`tools_registry.${uid}`), { appId: '/tools/registry', instance: uid });
    assert.equal(parseTaskId('nonsense'), undefined);
    assert.equal(parseTaskId('web.not-a-uuid'), undefined);
  });

  it('finds the pod by uid or name, and reads the ids of a kill request', () => {
    const pods = [pod('u1', 'a'), pod('u2', 'b')];
    assert.equal(podOfInstance(pods, 'u2')?.metadata?.name, 'b');
    assert.equal(podOfInstance(pods, 'a')?.metadata?.uid, 'u1');
    assert.equal(podOfInstance(pods, 'zz'), undefined);
    assert.deepEqual(taskIdsOf({ ids: ['x'] }), ['x']);
    assert.equal(taskIdsOf({ ids: 'x' }), undefined);
    assert.equal(taskIdsOf(null), undefined);
  });
});
