import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const PROD = ['--file', 'base.json5', '--file', 'prod.json5'];
const ESC = '\u001b[';

describe('strataconf run: commands, help and exit codes', () => {
  it.each(['print', 'get', 'validate', 'diff'])(
    'prints the help of %s on stdout with --help, exit 0',
    async (command) => {
      const result = await cli([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: strataconf ${command}`));
      expect(result.stdout).toContain('STRATACONF_SOURCES');
      expect(result.stderr).toBe('');
    },
  );

  it('prints the overview with --help, -h and help', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const result = await cli(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('strataconf print');
      expect(result.stdout).toContain('strataconf diff');
    }
    expect((await cli(['help', 'get'])).stdout).toMatch(/^Usage: strataconf get PATH/);
  });

  it('exits 2 with the short usage on stderr when the command is missing or unknown', async () => {
    for (const argv of [[], ['show']]) {
      const result = await cli(argv);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^strataconf: USAGE: (missing COMMAND|unknown command "show")\n\nUsage: /,
      );
    }
  });

  it('exits 2 on an unknown option or an option without its value', async () => {
    const unknown = await cli(['print', ...PROD, '--colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("USAGE: Unknown option '--colour'");
    const missing = await cli(['print', '--file']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Option '--file <value>' argument missing");
  });

  it('exits 2 when a library usage check fails, such as an empty --env prefix', async () => {
    const result = await cli(['print', '--env', '']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--env needs a value');
  });
});

describe('strataconf colour', () => {
  it('colours the explain table and errors on a TTY', async () => {
    const table = await cli(['print', ...PROD, '--explain'], { tty: true });
    expect(table.stdout).toContain(`${ESC}1mPATH`);
    const failed = await cli(['print', '--file', 'base.json5'], { tty: true });
    expect(failed.stderr).toContain(`${ESC}31mOVERRIDE_MISSING${ESC}39m`);
  });

  it('never colours with NO_COLOR, even on a TTY', async () => {
    const table = await cli(['print', ...PROD, '--explain'], { tty: true, env: { NO_COLOR: '1' } });
    const failed = await cli(['print', '--file', 'base.json5'], { tty: true, env: { NO_COLOR: '1' } });
    expect(table.stdout).not.toContain(ESC);
    expect(failed.stderr).not.toContain(ESC);
  });

  it('never colours output that is not a TTY, and never colours JSON', async () => {
    const table = await cli(['print', ...PROD, '--explain']);
    expect(table.stdout).not.toContain(ESC);
    const json = await cli(['print', ...PROD], { tty: true });
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });
});
