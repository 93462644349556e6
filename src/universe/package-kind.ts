// What a package's one Marathon app is: the workload itself (works on Kubernetes), or a Mesos framework
// scheduler that launches the real workload through Mesos offers (cannot do useful work without a Mesos
// master). Judged from the package alone, so `package describe` can say it before anything is installed.
import type { PackageEntry } from './package-entry.ts';
import { marathonTemplateOf } from './package-entry.ts';

export type PackageKind = 'app' | 'sdk-framework' | 'framework' | 'cli-only';

export interface KindVerdict {
  kind: PackageKind;
  /** Whether an install does useful work on Kubernetes. */
  works: boolean;
  /** One sentence for status, describe and the README. */
  summary: string;
}

/** Labels only dcos-commons (SDK) schedulers carry. */
const SDK_MARKERS = ['DCOS_COMMONS_API_VERSION', 'DCOS_COMMONS_UNINSTALL'];

export function packageKind(entry: PackageEntry): KindVerdict {
  const template = marathonTemplateOf(entry);
  if (template === undefined)
    return {
      kind: 'cli-only',
      works: false,
      summary: `${entry.name} has no Marathon template: it only installs a DC/OS CLI subcommand`,
    };
  if (SDK_MARKERS.some((m) => template.includes(m)))
    return {
      kind: 'sdk-framework',
      works: false,
      summary:
        `${entry.name} installs a dcos-commons (SDK) scheduler, which launches its tasks through Mesos ` +
        `offers and reservations; with no Mesos master it cannot deploy anything`,
    };
  if (entry.framework === true)
    return {
      kind: 'framework',
      works: false,
      summary:
        `${entry.name} installs a Mesos framework scheduler, which launches its workload through a Mesos ` +
        `master; on Kubernetes the scheduler would run but launch nothing`,
    };
  return { kind: 'app', works: true, summary: `${entry.name} is a plain Marathon app: it runs as is` };
}
