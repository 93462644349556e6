// Usage: node src/universe/gen-builtin-catalog.ts [packagesDir] [outFile]
import path from 'node:path';
import { writeBuiltinCatalog } from './builtin-catalog-gen.ts';

const root = path.resolve(import.meta.dirname, '../..');
const packagesDir = path.resolve(process.argv[2] ?? path.join(root, '../shared/fixtures/universe/packages'));
const outFile = path.resolve(process.argv[3] ?? path.join(root, 'src/universe/catalog/builtin.json'));

const count = await writeBuiltinCatalog(packagesDir, outFile);
process.stdout.write(`${path.relative(process.cwd(), outFile)}: ${count} packages from ${packagesDir}\n`);
