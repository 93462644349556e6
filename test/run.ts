// Runs the test suites with mocha's programmatic API and ends with one line "N passed, N failed"
// summing every suite, which is what CI reads. Usage: node test/run.ts [unit|integration|all] [--grep RE]
import { glob } from 'node:fs/promises';
import path from 'node:path';
import Mocha from 'mocha';

type Suite = 'unit' | 'integration';

const root = path.resolve(import.meta.dirname, '..');
const patterns: Record<Suite, string> = {
  unit: 'src/**/*.test.ts',
  integration: 'test/integration/**/*.test.ts',
};

async function files(suite: Suite): Promise<string[]> {
  const found: string[] = [];
  for await (const f of glob(patterns[suite], { cwd: root })) found.push(path.join(root, f));
  return found.sort();
}

async function runSuite(suite: Suite, grep: string | undefined): Promise<{ passed: number; failed: number }> {
  const mocha = new Mocha({
    reporter: 'spec',
    timeout: suite === 'unit' ? 10_000 : 120_000,
    slow: suite === 'unit' ? 200 : 5_000,
    ...(grep ? { grep } : {}),
  });
  for (const f of await files(suite)) mocha.addFile(f);
  await mocha.loadFilesAsync();
  // The integration suites share one control plane: the fixtures run here, around mocha, so a
  // set-up failure is counted and the teardown always runs.
  const fixtures = suite === 'integration' ? await import('./integration/global-fixtures.ts') : undefined;
  await fixtures?.mochaGlobalSetup();
  try {
    return await new Promise((resolve) => {
      const runner = mocha.run(() => {
        const stats = runner.stats ?? { passes: 0, failures: 0 };
        resolve({ passed: stats.passes, failed: stats.failures });
      });
    });
  } finally {
    await fixtures?.mochaGlobalTeardown();
  }
}

const args = process.argv.slice(2);
const which = (args.find((a) => !a.startsWith('--')) ?? 'all') as Suite | 'all';
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
const suites: Suite[] = which === 'all' ? ['unit', 'integration'] : [which];
// Checks that need every suite to have run (zz-rbac-usage.test.ts) skip themselves in a filtered run.
if (grep) process.env.DCOS_OPERATOR_TEST_PARTIAL = '1';

let passed = 0;
let failed = 0;
for (const suite of suites) {
  try {
    const r = await runSuite(suite, grep);
    passed += r.passed;
    failed += r.failed;
  } catch (err) {
    // A suite that cannot even start (for example the control plane did not come up) counts as a failure.
    console.error(`${suite} suite could not run:`, err);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
