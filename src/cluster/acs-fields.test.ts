import assert from 'node:assert/strict';
import { childPath, foldKey, kindOf, lookup, shown } from './acs-fields.ts';

describe('ACS field access', () => {
  it('folds keys as Go encoding/json matches them to ASCII field names', () => {
    for (const [key, name] of [
      ['OSDiskSizeGB', 'osDiskSizeGB'],
      ['AvailabilityProfile', 'availabilityProfile'],
      ['COUNT', 'count'],
      ['\u212aeyData', 'keyData'], // KELVIN SIGN folds to k
      ['dn\u017fPrefix', 'dnsPrefix'], // LONG S folds to s
    ]) {
      assert.equal(foldKey(key ?? ''), foldKey(name ?? ''), `${key} ~ ${name}`);
    }
    assert.notEqual(foldKey('dnsPrefix'), foldKey('dns_prefix'));
    assert.notEqual(foldKey('count'), foldKey('c\u00f6unt'));
  });

  it('looks fields up case-insensitively, skips nulls and lets the last matching key win', () => {
    assert.deepEqual(lookup({ OSDiskSizeGB: 200 }, 'osDiskSizeGB'), { key: 'OSDiskSizeGB', value: 200 });
    assert.deepEqual(lookup({ count: 1, Count: 2 }, 'count'), { key: 'Count', value: 2 });
    assert.deepEqual(lookup({ count: 1, Count: null }, 'count'), { key: 'count', value: 1 });
    assert.equal(lookup({ count: null }, 'count'), undefined);
    for (const notObject of [null, undefined, 3, 'count', [{ count: 1 }]]) {
      assert.equal(lookup(notObject, 'count'), undefined);
    }
  });

  it('names JSON kinds, builds paths and shortens long values', () => {
    assert.deepEqual([null, undefined, [], {}, 'x', 1, true].map(kindOf), [
      'null',
      'null',
      'array',
      'object',
      'string',
      'number',
      'boolean',
    ]);
    assert.equal(childPath('', 'properties'), 'properties');
    assert.equal(childPath('properties.agentPoolProfiles', 1), 'properties.agentPoolProfiles[1]');
    assert.equal(childPath('p.customNodeLabels', 'a.b'), 'p.customNodeLabels["a.b"]');
    assert.equal(shown('abc'), 'abc');
    assert.equal(shown('x'.repeat(100)), `${'x'.repeat(64)}…`);
  });
});
