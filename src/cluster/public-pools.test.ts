import assert from 'node:assert/strict';
import { decodeAcsDefinition } from './acs-definition.ts';
import type { AcsApiVersion } from './acs-schema.ts';
import { isPublicPool, publicPorts } from './public-pools.ts';

function decodedPool(version: AcsApiVersion, pool: Record<string, unknown>) {
  const { definition } = decodeAcsDefinition({
    apiVersion: version,
    properties: { agentPoolProfiles: [pool] },
  });
  const decoded = definition?.pools[0];
  assert.ok(decoded);
  return decoded;
}

const ACS_ERA: AcsApiVersion[] = ['2016-03-30', '2016-09-30', '2017-01-31'];
const LATER: AcsApiVersion[] = ['2017-07-01', 'vlabs'];

/** [pool fields, public in the ACS-era versions, public in 2017-07-01 and vlabs, ports of 2017-07-01/vlabs]. */
const CASES: [Record<string, unknown>, boolean, boolean, number[]][] = [
  [{}, false, false, []],
  [{ dnsPrefix: '' }, true, false, []],
  [{ dnsPrefix: 'apps' }, true, true, [80, 443, 8080]],
  [{ DNSPREFIX: 'apps' }, true, true, [80, 443, 8080]],
  [{ dnsPrefix: null }, false, false, []],
  [{ ports: [81] }, false, true, [81]],
  [{ ports: [] }, false, false, []],
  [{ dnsPrefix: '', ports: [80, 443] }, true, true, [80, 443]],
  [{ dnsPrefix: 'apps', ports: [9000] }, true, true, [9000]],
];

describe('public pools', () => {
  for (const [pool, acsEra, later, ports] of CASES) {
    it(`${JSON.stringify(pool)}: ${acsEra ? 'public' : 'private'} in ACS-era versions, ${later ? 'public' : 'private'} later`, () => {
      for (const v of ACS_ERA) {
        const decoded = decodedPool(v, pool);
        assert.equal(isPublicPool(decoded, v), acsEra, v);
        // ACS-era versions had no ports field: a public pool got ACS's defaults.
        assert.deepEqual(publicPorts(decoded, v), acsEra ? [80, 443, 8080] : [], v);
      }
      for (const v of LATER) {
        const decoded = decodedPool(v, pool);
        assert.equal(isPublicPool(decoded, v), later, v);
        assert.deepEqual(publicPorts(decoded, v), ports, v);
      }
    });
  }
});
