import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { OPENAPI_FILE, documentationApp, openApiDocument } from './openapi';

void documentationApp().then(async (app) => {
  writeFileSync(OPENAPI_FILE, openApiDocument(app));
  await app.close();
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
});
