import assert from 'node:assert/strict';
import { armTimestamp, isTerminal, operationName, operationStatusBody } from './operations.ts';
import type { OperationRecord } from './operations.ts';

const op: OperationRecord = {
  id: 'a41c7b2a-b8a7-4cba-a97a-0123456789ab',
  kind: 'create',
  pool: { subscriptionId: 's', resourceGroup: 'rg', cluster: 'c', pool: 'p' },
  location: 'eastus',
  status: 'InProgress',
  poolState: 'Creating',
  dueAt: 10,
  startTime: '2023-03-09T08:08:28.7450000Z',
  willFail: false,
};

describe('aks emulator operations', () => {
  it('names an operation by its id printed as a little-endian GUID', () => {
    assert.equal(operationName(op.id), '2a7b1ca4-a7b8-ba4c-a97a-0123456789ab');
    assert.equal(operationName(operationName(op.id)), op.id);
    assert.equal(operationName('not-a-guid'), 'not-a-guid');
  });

  it('serves name, status and startTime while running, and endTime and error once over', () => {
    assert.deepEqual(operationStatusBody(op), {
      name: '2a7b1ca4-a7b8-ba4c-a97a-0123456789ab',
      status: 'InProgress',
      startTime: '2023-03-09T08:08:28.7450000Z',
    });
    const failed: OperationRecord = {
      ...op,
      status: 'Failed',
      endTime: '2023-03-09T08:12:39.0000000Z',
      error: { code: 'InternalOperationError', message: 'boom' },
    };
    assert.deepEqual(operationStatusBody(failed), {
      name: '2a7b1ca4-a7b8-ba4c-a97a-0123456789ab',
      status: 'Failed',
      startTime: '2023-03-09T08:08:28.7450000Z',
      endTime: '2023-03-09T08:12:39.0000000Z',
      error: { code: 'InternalOperationError', message: 'boom' },
    });
  });

  it('writes timestamps with seven fractional digits like ARM', () => {
    assert.equal(armTimestamp(Date.UTC(2023, 2, 9, 8, 8, 28, 745)), '2023-03-09T08:08:28.7450000Z');
  });

  it('treats everything but InProgress as terminal', () => {
    assert.deepEqual((['InProgress', 'Succeeded', 'Failed', 'Canceled'] as const).map(isTerminal), [
      false,
      true,
      true,
      true,
    ]);
  });
});
