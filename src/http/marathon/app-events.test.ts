import assert from 'node:assert/strict';
import { REQUESTED_VERSION_ANNOTATION } from '../../marathon/deployments.ts';
import type { AppDeployment, AppObject } from '../../marathon/deployments.ts';
import type { Announced } from './app-events.ts';
import { appChangeEvents, appPlan, deploymentTransitions, eventPlan, stopPlan } from './app-events.ts';
import { stopPart } from './deployment-view.ts';

const ts = '2025-03-01T10:00:00.000Z';
const d = (id: string, pending = false): AppDeployment => ({ id, version: ts, pending });
const a = (id: string, pending = false): Announced => ({ id, version: ts, pending });

const app = (over: Partial<{ generation: number; spec: Record<string, unknown> }> = {}): AppObject => ({
  metadata: { name: 'web', namespace: 'shop', uid: 'u1', generation: over.generation ?? 1 },
  spec: over.spec ?? { id: '/shop/web', cmd: 'sleep 100', instances: 2 },
});

describe('app events', () => {
  describe('deployment transitions', () => {
    it('starts what appears, keeps what stays', () => {
      const t = deploymentTransitions([a('d1')], [d('d1'), d('d2')], false);
      assert.deepEqual(
        t.started.map((s) => s.id),
        ['d2'],
      );
      assert.deepEqual(t.ended, []);
      assert.deepEqual(
        t.announced.map((x) => x.id),
        ['d1', 'd2'],
      );
    });

    it('ends what disappears: success when the app is ready, failed otherwise', () => {
      assert.deepEqual(deploymentTransitions([a('d1')], [], true).ended, [
        { deployment: a('d1'), outcome: 'success' },
      ]);
      assert.deepEqual(deploymentTransitions([a('d1')], [], false).ended, [
        { deployment: a('d1'), outcome: 'failed', reason: 'the app is not ready' },
      ]);
    });

    it('fails a deployment replaced by a newer one (Marathon cancels it)', () => {
      const t = deploymentTransitions([a('d1')], [d('d2')], false);
      assert.deepEqual(t.ended, [
        { deployment: a('d1'), outcome: 'failed', reason: 'superseded by deployment d2' },
      ]);
    });

    it('waits while a change is unobserved: hidden deployments are neither ended nor forgotten', () => {
      const hidden = deploymentTransitions([a('d1')], [d('p2', true)], true);
      assert.deepEqual(hidden.ended, []);
      assert.deepEqual(hidden.announced.map((x) => x.id).sort(), ['d1', 'p2']);
      // observed: the change was a no-op, d1 is back and goes on; the pending stand-in just goes
      const back = deploymentTransitions(hidden.announced, [d('d1')], false);
      assert.deepEqual(back.ended, []);
      assert.deepEqual(back.started, []);
      assert.deepEqual(
        back.announced.map((x) => x.id),
        ['d1'],
      );
    });

    it('treats a pending deployment replaced by the status one as a rename, not an end', () => {
      const t = deploymentTransitions([a('p1', true)], [d('s1')], false);
      assert.deepEqual(t.ended, []);
      assert.deepEqual(
        t.started.map((s) => s.id),
        ['s1'],
      );
      // a pending one that ends with nothing after it is done
      assert.equal(deploymentTransitions([a('p1', true)], [], true).ended[0]!.outcome, 'success');
    });
  });

  describe('plans', () => {
    it('have the shape marathon-python builds its DeploymentPlan from', () => {
      const p = appPlan(app(), '/shop/web', d('d1'), [], [{ id: '/shop/web' }]);
      assert.deepEqual(Object.keys(p.plan).sort(), ['id', 'original', 'steps', 'target', 'version']);
      const groupKeys = ['apps', 'dependencies', 'groups', 'id', 'pods', 'version'];
      assert.deepEqual(Object.keys(p.plan.original as object).sort(), groupKeys);
      assert.deepEqual(Object.keys(p.plan.target as object).sort(), groupKeys);
      assert.deepEqual((p.plan.target as { apps: unknown[] }).apps, [{ id: '/shop/web' }]);
      // no status yet: a new app, started then scaled
      assert.deepEqual(p.plan.steps, [
        { actions: [{ action: 'StartApplication', app: '/shop/web' }] },
        { actions: [{ action: 'ScaleApplication', app: '/shop/web' }] },
      ]);
      assert.deepEqual(p.currentStep, { actions: [{ action: 'ScaleApplication', app: '/shop/web' }] });
    });

    it('of a removal stop the app', () => {
      const p = stopPlan('r1', ts, '/shop/web', { id: '/shop/web' });
      assert.equal(p.plan.id, 'r1');
      assert.deepEqual(p.plan.steps, [{ actions: [{ action: 'StopApplication', app: '/shop/web' }] }]);
      assert.deepEqual((p.plan.original as { apps: unknown[] }).apps, [{ id: '/shop/web' }]);
      assert.deepEqual((p.plan.target as { apps: unknown[] }).apps, []);
      assert.deepEqual(
        eventPlan(stopPart('r1', ts, '/x'), [], []).currentStep.actions[0]!.action,
        'StopApplication',
      );
    });
  });

  describe('app changes', () => {
    const render = (o: AppObject) => ({ id: (o.spec as { id: string }).id });

    it('a new app: api_post_event with its definition, and its group changed', () => {
      const es = appChangeEvents(undefined, app(), ts, ts, render);
      assert.deepEqual(es, [
        {
          clientIp: '',
          uri: '/v2/apps/shop/web',
          appDefinition: { id: '/shop/web' },
          eventType: 'api_post_event',
          timestamp: ts,
        },
        { groupId: '/shop', version: ts, eventType: 'group_change_success', timestamp: ts },
      ]);
    });

    it('a status-only update says nothing; a spec change does', () => {
      const before = app();
      assert.deepEqual(appChangeEvents(before, { ...before, status: { version: ts } }, ts, ts, render), []);
      const after = app({ generation: 2, spec: { id: '/shop/web', cmd: 'sleep 200', instances: 2 } });
      assert.deepEqual(
        appChangeEvents(before, after, ts, ts, render).map((e) => e.eventType),
        ['api_post_event', 'group_change_success'],
      );
    });

    it('leaves api_post_event to the REST writer when the change carries its version stamp', () => {
      const before = app();
      const written: AppObject = {
        ...app({ generation: 2, spec: { id: '/shop/web', cmd: 'sleep 200', instances: 2 } }),
        metadata: { ...before.metadata, generation: 2, annotations: { [REQUESTED_VERSION_ANNOTATION]: ts } },
      };
      assert.deepEqual(
        appChangeEvents(before, written, ts, ts, render).map((e) => e.eventType),
        ['group_change_success'],
      );
      // a later kubectl edit keeps the old stamp: derived again
      const edited = {
        ...written,
        metadata: { ...written.metadata, generation: 3 },
        spec: { id: '/shop/web', cmd: 'x' },
      };
      assert.deepEqual(
        appChangeEvents(written, edited, ts, ts, render).map((e) => e.eventType),
        ['api_post_event', 'group_change_success'],
      );
    });

    it('a removal: app_terminated_event and its group changed', () => {
      assert.deepEqual(appChangeEvents(app(), undefined, ts, ts, render), [
        { appId: '/shop/web', eventType: 'app_terminated_event', timestamp: ts },
        { groupId: '/shop', version: ts, eventType: 'group_change_success', timestamp: ts },
      ]);
    });
  });
});
