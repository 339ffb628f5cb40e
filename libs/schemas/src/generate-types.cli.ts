import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateTypeScript } from './generate-types';
import { SchemaCatalog } from './schema-catalog';

const target = path.join(__dirname, 'generated', 'types.ts');
writeFileSync(target, generateTypeScript(SchemaCatalog.load().all()));
process.stdout.write(`wrote ${target}\n`);
