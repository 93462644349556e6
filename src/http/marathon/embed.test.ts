import assert from 'node:assert/strict';
import { listEmbed, parseEmbed, singleEmbed } from './embed.ts';

const sorted = (s: Set<string>) => [...s].sort();

describe('Marathon embed values', () => {
  it('reads each value under the app., apps. and group.apps. prefixes', () => {
    for (const prefix of ['app.', 'apps.', 'group.apps.'])
      assert.deepEqual(sorted(parseEmbed([`${prefix}counts`])), ['counts'], prefix);
    assert.deepEqual(sorted(parseEmbed(['apps.readiness', 'app.lastTaskFailure', 'apps.taskStats'])), [
      'lastTaskFailure',
      'readiness',
      'taskStats',
    ]);
  });

  it('embeds deployments with tasks, and tasks, deployments and the last failure with failures', () => {
    assert.deepEqual(sorted(parseEmbed(['apps.tasks'])), ['deployments', 'tasks']);
    assert.deepEqual(sorted(parseEmbed(['apps.failures'])), ['deployments', 'lastTaskFailure', 'tasks']);
  });

  it('ignores unknown values and names without a prefix', () => {
    assert.deepEqual(
      sorted(parseEmbed(['tasks', 'apps.bogus', 'apps.constructor', 'apps.__proto__', ''])),
      [],
    );
  });

  it('always embeds counts and deployments in lists, and also tasks and the last failure for one app', () => {
    assert.deepEqual(sorted(listEmbed([])), ['counts', 'deployments']);
    assert.deepEqual(sorted(listEmbed(['apps.tasks'])), ['counts', 'deployments', 'tasks']);
    assert.deepEqual(sorted(singleEmbed([])), ['counts', 'deployments', 'lastTaskFailure', 'tasks']);
    assert.deepEqual(sorted(singleEmbed(['app.taskStats'])), [
      'counts',
      'deployments',
      'lastTaskFailure',
      'taskStats',
      'tasks',
    ]);
  });
});
