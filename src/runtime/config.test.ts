import assert from 'node:assert/strict';
import { ConfigError, envName, flagName, loadConfig, parseDuration } from './config.ts';

describe('config', () => {
  it('serves the APIs with Kubernetes authentication, and without it only on loopback', () => {
    const cfg = loadConfig({}, {});
    assert.equal(cfg.api, true);
    assert.equal(cfg.apiAuth, 'kubernetes');
    assert.equal(cfg.apiNamespace, 'marathon');
    assert.throws(
      () => loadConfig({ apiAuth: 'none' }, {}),
      (err: unknown) => err instanceof ConfigError && /--api-auth=none .* loopback/.test(err.message),
    );
    assert.throws(() => loadConfig({ apiAuth: 'none', httpBindAddress: '0.0.0.0:8080' }, {}), ConfigError);
    assert.equal(loadConfig({ apiAuth: 'none', httpBindAddress: '127.0.0.1:8080' }, {}).apiAuth, 'none');
    assert.equal(loadConfig({ apiAuth: 'none', api: 'false' }, {}).api, false);
    assert.equal(loadConfig({ watchNamespace: 'shop' }, {}).apiNamespace, 'shop');
    assert.equal(loadConfig({ watchNamespace: 'shop', apiNamespace: 'web' }, {}).apiNamespace, 'web');
  });

  it('applies defaults', () => {
    const cfg = loadConfig({}, {});
    assert.equal(cfg.workers, 4);
    assert.equal(cfg.leaseDuration, 15_000);
    assert.equal(cfg.renewDeadline, 10_000);
    assert.equal(cfg.retryPeriod, 2_000);
    assert.equal(cfg.leaderElect, true);
    assert.equal(cfg.kubeApiQps, 20);
    assert.match(cfg.identity, /_[0-9a-f-]{36}$/);
  });

  it('reads DCOS_OPERATOR_* variables and lets flags win', () => {
    const env = {
      DCOS_OPERATOR_WORKERS: '7',
      DCOS_OPERATOR_LEADER_ELECT: 'false',
      DCOS_OPERATOR_LOG_LEVEL: 'debug',
    };
    const cfg = loadConfig({ workers: '9' }, env);
    assert.equal(cfg.workers, 9);
    assert.equal(cfg.leaderElect, false);
    assert.equal(cfg.logLevel, 'debug');
  });

  it('names the flag and the variable of every bad value', () => {
    assert.throws(
      () => loadConfig({ workers: '0', leaseDuration: 'soon' }, { DCOS_OPERATOR_LOG_LEVEL: 'loud' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /--workers \(DCOS_OPERATOR_WORKERS\)/);
        assert.match(
          err.message,
          /--lease-duration \(DCOS_OPERATOR_LEASE_DURATION\): "soon" is not a duration/,
        );
        assert.match(err.message, /--log-level \(DCOS_OPERATOR_LOG_LEVEL\)/);
        return true;
      },
    );
  });

  it('rejects leader-election timings that cannot work', () => {
    assert.throws(() => loadConfig({ leaseDuration: '5s', renewDeadline: '10s' }, {}), /--renew-deadline/);
    assert.throws(() => loadConfig({ renewDeadline: '2s', retryPeriod: '2s' }, {}), /1\.2 × --retry-period/);
    assert.throws(() => loadConfig({ renewDeadline: '10s', retryPeriod: '9s' }, {}), /--renew-deadline/);
    assert.throws(
      () => loadConfig({ leaseDuration: '4s', renewDeadline: '3s', retryPeriod: '1s' }, {}),
      /1\.5 × --retry-period/,
    );
  });

  it('parses durations and derives names', () => {
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('2 weeks'), undefined);
    assert.equal(flagName('kubeApiQps'), '--kube-api-qps');
    assert.equal(envName('kubeApiQps'), 'DCOS_OPERATOR_KUBE_API_QPS');
  });
});
