import assert from 'node:assert/strict';
import os from 'node:os';
import { frameworkId, leaderAddress, marathonInfo, MARATHON_VERSION, ownAddress } from './info.ts';
import type { InfoInput } from './info.ts';

const input = (over: Partial<InfoInput> = {}): InfoInput => ({
  identity: 'dcos-operator-7d9f_1234',
  leader: 'dcos-operator-7d9f_1234',
  advertisedAddress: ':8080',
  apiNamespace: 'marathon',
  maxVersions: 50,
  ...over,
});

// Constructor parameters of marathon-python 0.13's MarathonInfo, MarathonConfig, MarathonZooKeeperConfig
// and MarathonHttpConfig (marathon/models/info.py): any other key raises TypeError there.
const INFO_KEYS = [
  'event_subscriber',
  'frameworkId',
  'http_config',
  'leader',
  'marathon_config',
  'name',
  'version',
  'elected',
  'zookeeper_config',
  'buildref',
];
const CONFIG_KEYS = [
  'checkpoint',
  'executor',
  'failover_timeout',
  'framework_name',
  'ha',
  'hostname',
  'leader_proxy_connection_timeout_ms',
  'leader_proxy_read_timeout_ms',
  'local_port_min',
  'local_port_max',
  'maintenance_mode',
  'master',
  'mesos_leader_ui_url',
  'mesos_role',
  'mesos_user',
  'new_group_enforce_role',
  'webui_url',
  'reconciliation_initial_delay',
  'reconciliation_interval',
  'task_launch_timeout',
  'marathon_store_timeout',
  'task_reservation_timeout',
  'features',
  'access_control_allow_origin',
  'decline_offer_duration',
  'default_network_name',
  'env_vars_prefix',
  'launch_token',
  'launch_token_refresh_interval',
  'max_instances_per_offer',
  'mesos_bridge_name',
  'mesos_heartbeat_failure_threshold',
  'mesos_heartbeat_interval',
  'min_revive_offers_interval',
  'offer_matching_timeout',
  'on_elected_prepare_timeout',
  'revive_offers_for_new_apps',
  'revive_offers_repetitions',
  'scale_apps_initial_delay',
  'scale_apps_interval',
  'store_cache',
  'task_launch_confirm_timeout',
  'task_lost_expunge_initial_delay',
  'task_lost_expunge_interval',
];
const ZK_KEYS = [
  'zk',
  'zk_future_timeout',
  'zk_hosts',
  'zk_max_versions',
  'zk_path',
  'zk_session_timeout',
  'zk_state',
  'zk_timeout',
  'zk_connection_timeout',
  'zk_compression',
  'zk_compression_threshold',
  'zk_max_node_size',
];

describe('/v2/info and /v2/leader', () => {
  it('completes an address configured without host or port from the request', () => {
    assert.equal(ownAddress('127.0.0.1:0', '127.0.0.1:43210'), '127.0.0.1:43210');
    assert.equal(ownAddress(':8080', 'marathon.example.com'), 'marathon.example.com:8080');
    assert.equal(ownAddress('10.0.0.5:8080', 'ignored:1'), '10.0.0.5:8080');
    assert.equal(ownAddress(':8080'), `${os.hostname()}:8080`);
    assert.equal(ownAddress('[::1]:0', '[::1]:9000'), '[::1]:9000');
  });

  it('names the leader: this replica, another replica by its host, or none', () => {
    assert.equal(leaderAddress(input({ requestHost: 'api.example:8080' })), 'api.example:8080');
    assert.equal(
      leaderAddress(input({ leader: 'dcos-operator-abc_99', requestHost: 'x:8080' })),
      'dcos-operator-abc:8080',
    );
    assert.equal(leaderAddress(input({ leader: undefined })), undefined);
  });

  it('reports a 1.x version with canonical networking, elected state and a stable framework id', () => {
    const info = marathonInfo(input({ requestHost: 'api.example:8080' }));
    assert.equal(info.name, 'marathon');
    assert.equal(info.version, MARATHON_VERSION);
    assert.match(MARATHON_VERSION, /^1\.(9|1\d)\./);
    assert.equal(info.elected, true);
    assert.equal(info.leader, 'api.example:8080');
    assert.equal(info.frameworkId, frameworkId('marathon'));
    assert.match(String(info.frameworkId), /^[0-9a-f-]{36}-0000$/);
    assert.deepEqual(info.http_config, { http_port: 8080, https_port: 0 });
    const follower = marathonInfo(input({ leader: 'other_1' }));
    assert.equal(follower.elected, false);
    assert.equal(marathonInfo(input({ leader: undefined })).leader, undefined);
  });

  it('has only keys marathon-python 0.13 accepts', () => {
    const info = marathonInfo(input());
    for (const k of Object.keys(info)) assert.ok(INFO_KEYS.includes(k) || k === 'frameworkId', k);
    for (const k of Object.keys(info.marathon_config as object)) assert.ok(CONFIG_KEYS.includes(k), k);
    for (const k of Object.keys(info.zookeeper_config as object)) assert.ok(ZK_KEYS.includes(k), k);
    assert.deepEqual(Object.keys(info.http_config as object).sort(), ['http_port', 'https_port']);
    assert.equal((info.zookeeper_config as { zk_max_versions: number }).zk_max_versions, 50);
  });
});
