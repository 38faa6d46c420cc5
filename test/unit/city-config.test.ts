import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CityConfigError, cityConfigWarnings, listCityFiles, loadCityConfigFile, parseCityConfig } from '#adapters/city-config-loader.ts';
import { loadCityConfigJson, writeCityConfigJson } from '#adapters/city-config-json.ts';

const FILE = 'infra/cities/x.yaml';

/** A minimal valid config with four units, as a plain object to break in each test. */
function minimal(): Record<string, unknown> & { units: Record<string, unknown>[] } {
  const unit = (id: string, keywords: unknown[]) => ({ id, name: `${id}局`, email: [`${id}@example.gov.cn`], keywords });
  return {
    id: 'x',
    name: '某市',
    timeZone: 'Asia/Shanghai',
    aws: { account: '123456789012', region: 'cn-northwest-1' },
    email: { from: '某市人民政府办公室 <noreply@example.gov.cn>', office: ['zfb@example.gov.cn'] },
    units: [unit('a', ['甲']), unit('b', ['乙']), unit('c', ['丙']), unit('d', ['丁'])],
  };
}

/** The `<path>: <reason>` lines of the error that parsing `cfg` throws. */
function problems(cfg: unknown, text = stringify(cfg)): string[] {
  try {
    parseCityConfig(text, FILE);
  } catch (e) {
    if (!(e instanceof CityConfigError)) throw e;
    expect(e.message.split('\n')).toEqual(e.problems.map((p) => `${FILE}: ${p.path}: ${p.message}`));
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected a CityConfigError');
}

describe('sample city files', () => {
  it('lists and loads alar and shihezi', () => {
    const files = listCityFiles();
    expect(files.map((f) => f.replaceAll('\\', '/'))).toEqual(['infra/cities/alar.yaml', 'infra/cities/shihezi.yaml']);
    const [alar, shihezi] = files.map(loadCityConfigFile);
    expect(alar?.id).toBe('alar');
    expect(alar?.units).toHaveLength(17);
    expect(alar?.calendar.extraHolidays).toContain('2023-04-21');
    expect(alar?.policy.escalation.map((s) => s.level)).toEqual([1, 2, 3]);
    expect(alar?.units.find((u) => u.id === 'health')?.keywords).toContainEqual({ term: '卫生', weight: 2 });
    expect(shihezi?.id).toBe('shihezi');
    expect(cityConfigWarnings(alar!)).toEqual([]);
  });

  it('applies the defaults', () => {
    const cfg = parseCityConfig(stringify(minimal()), FILE);
    expect(cfg.numbering).toBe('{year}-{seq:3}');
    expect(cfg.email.linkBase).toBe('http://127.0.0.1:3000');
    expect(cfg.email.leaders).toEqual([]);
    expect(cfg.policy.reply).toEqual({ amount: 3, unit: 'mo', text: '3mo' });
    expect(cfg.policy.acknowledge).toEqual({ amount: 5, unit: 'wd', text: '5wd' });
    expect(cfg.calendar).toEqual({ country: 'CN', extraHolidays: [], extraWorkdays: [], addedYears: [] });
    expect(cfg.assignment).toEqual({ titleWeight: 3, minScore: 2, coMinScore: 2, maxCoUnits: 3 });
    expect(cfg.units[0]?.head).toEqual([]);
  });

  it('reads JSON too', () => {
    expect(parseCityConfig(JSON.stringify(minimal()), 'x.json').units).toHaveLength(4);
  });
});

describe('rejected configs name the path and the reason', () => {
  const cases: [string, (c: ReturnType<typeof minimal>) => void, string][] = [
    ['empty keyword', (c) => (c.units[3]!.keywords = ['  ']), 'units[3].keywords[0]: empty'],
    ['bad duration', (c) => (c.policy = { reply: '3 months' }), 'policy.reply: not a duration: "3 months" (use e.g. 5wd, 10d, 3mo)'],
    ['bad email', (c) => (c.email = { from: 'noreply@example.gov.cn', office: ['zfb.example.gov.cn'] }), 'email.office[0]: not an email address'],
    ['unknown field', (c) => (c.units[1]!.emial = []), 'units[1].emial: unknown field'],
    ['duplicate unit id', (c) => (c.units[2]!.id = 'a'), 'units[2].id: duplicate unit id "a" (also units[0])'],
    ['duplicate keyword', (c) => (c.units[0]!.keywords = ['甲', { term: '甲', weight: 2 }]), 'units[0].keywords[1]: duplicate keyword "甲" (also [0])'],
    ['bad time zone', (c) => (c.timeZone = 'Asia/Aral'), 'timeZone: unknown time zone'],
    ['bad account id', (c) => (c.aws = { account: '12345', region: 'cn-northwest-1' }), 'aws.account: not a 12-digit AWS account id'],
    ['unquoted account id', (c) => (c.aws = { account: 123456789012, region: 'cn-northwest-1' }), 'aws.account: write it in quotes, e.g. "123456789012"'],
    ['missing field', (c) => delete c.name, 'name: required'],
  ];
  it.each(cases)('%s', (_, breakIt, expected) => {
    const cfg = minimal();
    breakIt(cfg);
    expect(problems(cfg)).toEqual([expected]);
  });

  it('YAML syntax error names the line and column', () => {
    const text = 'id: x\nname: 某市\nunits: [\n  - id: a\n';
    const lines = problems(undefined, text);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^line 4:\d+: YAML: /);
  });

  it('missing file names the file', () => {
    expect(() => loadCityConfigFile('infra/cities/nope.yaml')).toThrow('infra/cities/nope.yaml: (file): no such file');
  });

  it('reports every problem at once', () => {
    const cfg = minimal();
    cfg.timeZone = 'Mars/Olympus';
    cfg.policy = { reply: '3x', escalation: [{ after: '0wd', level: 2, to: ['unit'] }, { after: '5wd', level: 1, to: ['boss'] }] };
    cfg.units[3]!.keywords = [''];
    cfg.units[2]!.id = 'a';
    cfg.extra = true;
    expect(problems(cfg)).toEqual([
      'timeZone: unknown time zone',
      'policy.reply: not a duration: "3x" (use e.g. 5wd, 10d, 3mo)',
      'policy.escalation[1].to[0]: Invalid option: expected one of "unit"|"unitHead"|"office"|"leaders"',
      'units[3].keywords[0]: empty',
      'units[2].id: duplicate unit id "a" (also units[0])',
      'extra: unknown field',
    ]);
  });
});

describe('warnings', () => {
  it('names shared keywords and units without keywords', () => {
    const cfg = minimal();
    cfg.units[1]!.keywords = ['甲'];
    cfg.units[3]!.keywords = [];
    expect(cityConfigWarnings(parseCityConfig(stringify(cfg), FILE))).toEqual([
      'keyword "甲" is shared by a, b',
      'units[3] (d) has no keywords: it is never assigned automatically',
    ]);
  });
});

/** Runs `tsx infra/city-check.ts <args>` and resolves with its exit code and output. */
function cityCheck(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'infra/city-check.ts', ...args], (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('city:check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'city-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 and prints every problem of a bad file', async () => {
    const cfg = minimal();
    cfg.units[3]!.keywords = [''];
    cfg.policy = { reply: 'soon' };
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, stringify(cfg));
    const { code, stdout, stderr } = await cityCheck(bad);
    expect(code).toBe(1);
    expect(stderr).toContain(`${bad}: units[3].keywords[0]: empty`);
    expect(stderr).toContain(`${bad}: policy.reply: not a duration`);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    expect(stdout).toBe('');
  }, 30_000);

  it('exits 0 and summarises a good file', async () => {
    const { code, stdout } = await cityCheck('infra/cities/shihezi.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('✓ infra/cities/shihezi.yaml: 石河子市 (7 units, 56 keywords)');
  }, 30_000);
});

/** The lines of the CityConfigError that `read` throws. */
function readErrors(read: () => unknown): string[] {
  try {
    read();
  } catch (e) {
    if (!(e instanceof CityConfigError)) throw e;
    return e.message.split('\n');
  }
  throw new Error('expected a CityConfigError');
}

describe('the checked JSON the functions read (city.json)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'city-json-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back the config exactly as the schema produced it, defaults and parsed durations included', () => {
    for (const file of listCityFiles()) {
      const config = loadCityConfigFile(file);
      expect(loadCityConfigJson(writeCityConfigJson(config, dir))).toEqual(config);
    }
  });

  it('refuses a file that was not written from a checked config, saying so', () => {
    const yamlShaped = join(dir, 'raw.json');
    writeFileSync(yamlShaped, JSON.stringify({ id: 'x', units: [] }));
    expect(readErrors(() => loadCityConfigJson(yamlShaped))).toEqual([`${yamlShaped}: (file): not a checked city config (format "proposals/checked-city-config/1"): write it from the YAML with writeCityConfigJson, as cdk synth and the local runtime do`]);
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{');
    expect(readErrors(() => loadCityConfigJson(notJson))[0]).toMatch(/^.*bad\.json: \(file\): not JSON: /);
    expect(readErrors(() => loadCityConfigJson(join(dir, 'none.json')))).toEqual([`${join(dir, 'none.json')}: (file): no such file`]);
  });
});
