import { writeFileSync } from 'node:fs';
import { buildSchemaSdl } from './graphql-schema';
import { SCHEMA_FILE } from './gateway.module';

void buildSchemaSdl().then((sdl) => {
  writeFileSync(SCHEMA_FILE, sdl);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
});
