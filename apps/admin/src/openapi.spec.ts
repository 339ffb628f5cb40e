import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { OPENAPI_FILE, documentationApp, openApiDocument } from './openapi';

describe('admin OpenAPI document', () => {
  it('the checked-in apps/admin/openapi.json matches the controllers (run npm run generate:openapi)', async () => {
    const app = await documentationApp();
    try {
      const generated = openApiDocument(app);
      expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(generated);
      const document = JSON.parse(generated) as { paths: Record<string, unknown> };
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/orgs',
          '/api/v1/orgs/{org}/integrations/{id}/syncs',
          '/api/v1/orgs/{org}/health',
        ]),
      );
    } finally {
      await app.close();
    }
  });
});
