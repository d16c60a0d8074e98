import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../src/aws');

describe('src/aws', () => {
  it('imports nothing from @aws-sdk or @smithy (the light path must not load them)', () => {
    const imports = readdirSync(dir).flatMap((file) =>
      [...readFileSync(join(dir, file), 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)].map(
        (m) => m[1] ?? '',
      ),
    );
    expect(imports).toContain('aws4');
    expect(imports.filter((name) => /^@(aws-sdk|smithy)\//.test(name))).toEqual([]);
  });
});
