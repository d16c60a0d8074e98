import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { cli } from '../../test/cli/run-cli.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The template's value of one of the function's environment variables. */
function variable(template: string, name: string): string {
  const value = new RegExp(`^ {10}${name}: (\\S+)$`, 'm').exec(template)?.[1];
  if (value === undefined) throw new Error(`template.yaml sets no ${name}`);
  return value;
}

/** The function's `Policies:` block, as `strataconf iam --format sam` prints it (6 columns less). */
function policiesBlock(template: string): string {
  const lines = template.split('\n');
  const start = lines.indexOf('      Policies:');
  expect(start, 'template.yaml has no Policies: block under the function').toBeGreaterThan(0);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => !line.startsWith('       '));
  return `${[lines[start] ?? '', ...rest.slice(0, end)].map((line) => line.slice(6)).join('\n')}\n`;
}

describe('the example function as a SAM template', () => {
  it('grants exactly what strataconf iam prints for its layers today', async () => {
    const template = await readFile(`${here}template.yaml`, 'utf8');
    // config.ts reads them at import, as it does on Lambda; nothing is fetched.
    vi.stubEnv('CONFIG_S3_URI', variable(template, 'CONFIG_S3_URI'));
    vi.stubEnv('DB_SECRET_ID', variable(template, 'DB_SECRET_ID'));
    const generated = await cli(['iam', '--loader', 'config.ts', '--format', 'sam'], { cwd: here });
    expect(generated.code).toBe(0);
    expect(
      policiesBlock(template),
      'the Policies of template.yaml are stale; regenerate them with the command at its top',
    ).toBe(generated.stdout);
    // One statement per remote layer, and nothing else: the S3 object and the secret.
    expect(generated.stdout.match(/- Sid: /g)).toHaveLength(2);
    expect(generated.stdout).toContain(':s3:::my-config/orders/production.json5');
    expect(generated.stdout).toContain(':secret:orders/production/db-??????');
  });
});
