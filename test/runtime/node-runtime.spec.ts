import { readFileSync } from 'node:fs';
import path from 'node:path';

describe('runtime', () => {
  it('runs the tests on the Node major the project targets (package.json engines), not the machine default', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    const targetMajor = /^>=(\d+)/.exec(manifest.engines.node)?.[1];
    expect(targetMajor).toBeDefined();
    expect(process.versions.node.split('.')[0]).toBe(targetMajor);
  });
});
