import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CityConfigError, cityConfigWarnings, listCityFiles, loadCityConfigFile, parseCityConfig } from '#adapters/city-config-loader.ts';
import { isLoopbackUrl } from '#domain/city-config.ts';
import { loadCityConfigJson, writeCityConfigJson } from '#adapters/city-config-json.ts';

const FILE = 'infra/cities/x.yaml';

/** A minimal valid config with four units, as a plain object to break in each test. */
function minimal(): Record<string, unknown> & { units: Record<string, unknown>[] } {
  const unit = (id: string, keywords: unknown[]) => ({ id, name: `${id}局`, email: [`${id}@example.gov.cn`], keywords });
  return {
    id: 'x',
    name: '某市',
    timeZone: 'Asia/Shanghai',
    aws: { account: '123456789012', region: 'cn-northwest-1', sesRegion: 'ap-southeast-1' },
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
    [
      'bad email',
      (c) => (c.email = { from: 'noreply@example.gov.cn', office: ['zfb.example.gov.cn'] }),
      'email.office[0]: not an email address',
    ],
    ['unknown field', (c) => (c.units[1]!.emial = []), 'units[1].emial: unknown field'],
    ['duplicate unit id', (c) => (c.units[2]!.id = 'a'), 'units[2].id: duplicate unit id "a" (also units[0])'],
    [
      'duplicate keyword',
      (c) => (c.units[0]!.keywords = ['甲', { term: '甲', weight: 2 }]),
      'units[0].keywords[1]: duplicate keyword "甲" (also [0])',
    ],
    ['bad time zone', (c) => (c.timeZone = 'Asia/Aral'), 'timeZone: unknown time zone'],
    ['bad account id', (c) => (c.aws = { account: '12345', region: 'ap-southeast-1' }), 'aws.account: not a 12-digit AWS account id'],
    [
      'unquoted account id',
      (c) => (c.aws = { account: 123456789012, region: 'ap-southeast-1' }),
      'aws.account: write it in quotes, e.g. "123456789012"',
    ],
    ['missing field', (c) => delete c.name, 'name: required'],
    // A repeat of 0 or less made the timer steps loop for ever; one on an earlier step was ignored.
    [
      'zero repeat',
      (c) => (c.policy = { escalation: [{ after: '0wd', level: 1, to: ['unit'], repeat: '0wd' }] }),
      'policy.escalation[0].repeat: must be positive',
    ],
    [
      'negative repeat',
      (c) => (c.policy = { escalation: [{ after: '0wd', level: 1, to: ['unit'], repeat: '-5wd' }] }),
      'policy.escalation[0].repeat: must be positive',
    ],
    [
      'repeat before the last step',
      (c) =>
        (c.policy = {
          escalation: [
            { after: '0wd', level: 1, to: ['unit'], repeat: '5wd' },
            { after: '5wd', level: 2, to: ['office'] },
          ],
        }),
      'policy.escalation[0].repeat: only the last step repeats: move it to escalation[1]',
    ],
    // Signs: deadlines after the start, reminders before the deadline, escalations after it and in order.
    ['negative deadline', (c) => (c.policy = { reply: '-3mo' }), 'policy.reply: must be positive (a time after the start)'],
    ['zero deadline', (c) => (c.policy = { acknowledge: '0wd' }), 'policy.acknowledge: must be positive (a time after the start)'],
    [
      'positive reminder',
      (c) => (c.policy = { reminders: ['10wd', '-3wd'] }),
      'policy.reminders[0]: must be negative (a time before the deadline, e.g. -3wd)',
    ],
    [
      'positive key reminder',
      (c) => (c.policy = { key: { reminders: ['-3wd', '1wd'] } }),
      'policy.key.reminders[1]: must be negative (a time before the deadline, e.g. -3wd)',
    ],
    [
      'negative escalation',
      (c) => (c.policy = { escalation: [{ after: '-1wd', level: 1, to: ['unit'] }] }),
      'policy.escalation[0].after: must not be negative (a time after the deadline)',
    ],
    [
      'escalation not later',
      (c) =>
        (c.policy = {
          escalation: [
            { after: '0wd', level: 1, to: ['unit'] },
            { after: '5wd', level: 2, to: ['unit'] },
            { after: '5wd', level: 3, to: ['office'] },
          ],
        }),
      'policy.escalation[2].after: must be later than escalation[1].after (5wd)',
    ],
    [
      'escalation units differ',
      (c) =>
        (c.policy = {
          escalation: [
            { after: '0wd', level: 1, to: ['unit'] },
            { after: '10d', level: 2, to: ['office'] },
          ],
        }),
      'policy.escalation[1].after: use the unit of escalation[0].after (wd): steps in different units have no certain order',
    ],
    ['replyMax shorter than reply', (c) => (c.policy = { replyMax: '2mo' }), 'policy.replyMax: shorter than reply (3mo)'],
    [
      'replyMax shorter in another unit',
      (c) => (c.policy = { reply: '3mo', replyMax: '60wd' }),
      'policy.replyMax: shorter than reply (3mo)',
    ],
    // Case numbers: only what formatCaseNumber replaces.
    [
      'bad seq width',
      (c) => (c.numbering = '{year}-{seq:abc}'),
      'numbering: "{seq:abc}" is not a placeholder: use {year}, {seq} or {seq:N} (N: zero-padded width, up to 99)',
    ],
    [
      'unclosed seq',
      (c) => (c.numbering = '{year}-{seq'),
      'numbering: "{seq" is not a placeholder: use {year}, {seq} or {seq:N} (N: zero-padded width, up to 99)',
    ],
    [
      'unknown placeholder',
      (c) => (c.numbering = '{yr}-{seq}'),
      'numbering: "{yr}" is not a placeholder: use {year}, {seq} or {seq:N} (N: zero-padded width, up to 99)',
    ],
    ['no seq', (c) => (c.numbering = '{year}-001'), 'numbering: must contain {seq} or {seq:N}'],
    [
      'leader in charge of no such unit',
      (c) => ((c.email as Record<string, unknown>).leaders = [{ name: '副市长', email: 'l@example.gov.cn', units: ['a', 'zz'] }]),
      'email.leaders[0].units[1]: no unit "zz" in units',
    ],
    // Calendar.
    [
      'holiday and workday',
      (c) => (c.calendar = { extraHolidays: ['2023-06-28', '2023-04-21'], extraWorkdays: ['2023-04-21'] }),
      'calendar.extraWorkdays[0]: 2023-04-21 is also calendar.extraHolidays[1]: a day is either a holiday or a workday',
    ],
    [
      'malformed date (one message)',
      (c) => (c.calendar = { extraHolidays: ['2023-4-21'] }),
      'calendar.extraHolidays[0]: not a date (YYYY-MM-DD)',
    ],
    ['no such day', (c) => (c.calendar = { extraHolidays: ['2023-02-30'] }), 'calendar.extraHolidays[0]: no such day'],
    [
      'empty quiet hours',
      (c) => (c.calendar = { quietHours: { from: '08:00', to: '08:00' } }),
      'calendar.quietHours.to: same as from: that is no quiet hours (leave quietHours out instead)',
    ],
    // Regions.
    [
      'cn-* region without sesRegion',
      (c) => (c.aws = { account: '123456789012', region: 'cn-northwest-1' }),
      'aws.sesRegion: required when aws.region is cn-northwest-1: SES is not offered in cn-* regions (e.g. sesRegion: ap-southeast-1)',
    ],
    [
      'cn-* sesRegion',
      (c) => (c.aws = { account: '123456789012', region: 'cn-north-1', sesRegion: 'cn-northwest-1' }),
      'aws.sesRegion: SES is not offered in cn-* regions: use a global region, e.g. ap-southeast-1',
    ],
    [
      'malformed region',
      (c) => (c.aws = { account: '123456789012', region: 'cn-northwest1', sesRegion: 'ap-southeast-1' }),
      'aws.region: not an AWS region (e.g. cn-northwest-1, ap-southeast-1)',
    ],
    [
      'malformed sesRegion',
      (c) => (c.aws = { account: '123456789012', region: 'cn-northwest-1', sesRegion: 'singapore' }),
      'aws.sesRegion: not an AWS region (e.g. cn-northwest-1, ap-southeast-1)',
    ],
    // Keywords the matcher folds together (case, full/half width).
    [
      'duplicate keyword after folding',
      (c) => (c.units[0]!.keywords = ['EV', '充电', 'ｅｖ']),
      'units[0].keywords[2]: duplicate keyword "ｅｖ" (also [0])',
    ],
  ];
  it.each(cases)('%s', (_, breakIt, expected) => {
    const cfg = minimal();
    breakIt(cfg);
    expect(problems(cfg)).toEqual([expected]);
  });

  it('accepts what the rules allow', () => {
    const cfg = minimal();
    cfg.aws = { account: '123456789012', region: 'us-gov-west-1' };
    cfg.numbering = '提案{year}第{seq}号 ({seq:4})';
    cfg.calendar = { extraHolidays: ['2023-04-21'], extraWorkdays: ['2023-04-23'], quietHours: { from: '22:00', to: '07:00' } };
    cfg.policy = {
      reply: '3mo',
      replyMax: '70wd',
      reminders: ['-1mo', '-10d', '-1wd'],
      key: { reminders: ['-15wd'] },
      escalation: [
        { after: '0wd', level: 1, to: ['unit'] },
        { after: '5wd', level: 2, to: ['office'], repeat: '10d' },
      ],
    };
    const parsed = parseCityConfig(stringify(cfg), FILE);
    expect(parsed.policy.escalation.map((s) => s.after.text)).toEqual(['0wd', '5wd']);
    expect(parsed.calendar.extraWorkdays).toEqual(['2023-04-23']);
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
    cfg.policy = {
      reply: '3x',
      escalation: [
        { after: '0wd', level: 2, to: ['unit'] },
        { after: '5wd', level: 1, to: ['boss'] },
      ],
    };
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
  const warnings = (cfg: unknown) => cityConfigWarnings(parseCityConfig(stringify(cfg), FILE));
  /** minimal() with a public linkBase and every unit with a head: no warnings. */
  const clean = () => {
    const cfg = minimal();
    (cfg.email as Record<string, unknown>).linkBase = 'https://proposals.x.example.gov.cn';
    for (const u of cfg.units) u.head = [`${String(u.id)}-head@example.gov.cn`];
    return cfg;
  };

  it('are none for a clean config', () => {
    expect(warnings(clean())).toEqual([]);
  });

  it('name shared keywords (as the matcher compares them) and units without keywords', () => {
    const cfg = clean();
    cfg.units[1]!.keywords = ['甲'];
    cfg.units[2]!.keywords = ['EV'];
    cfg.units[3]!.keywords = ['ｅｖ'];
    cfg.units.push({ id: 'e', name: 'e局', email: ['e@example.gov.cn'], head: ['e-head@example.gov.cn'] });
    expect(warnings(cfg)).toEqual([
      'keyword "甲" is shared by a, b',
      'keyword "EV" is shared by c, d',
      'units[4] (e) has no keywords: it is never assigned automatically',
    ]);
  });

  it('name escalations to leaders or unit heads that have no address', () => {
    const cfg = clean();
    delete cfg.units[1]!.head;
    cfg.units[3]!.head = [];
    cfg.policy = {
      escalation: [
        { after: '0wd', level: 1, to: ['unit', 'unitHead'] },
        { after: '5wd', level: 2, to: ['leaders'] },
      ],
    };
    expect(warnings(cfg)).toEqual([
      'policy.escalation[0].to: unitHead, but b, d have no head (units[].head): level 1 reaches no unit head there',
      'policy.escalation[1].to: leaders, but email.leaders is empty: level 2 reaches no leader',
    ]);
    (cfg.email as Record<string, unknown>).leaders = [{ name: '分管副市长', email: 'leader@example.gov.cn' }];
    expect(warnings(cfg)).toHaveLength(1);
  });

  it('name a loopback email.linkBase (the default) with the URL to put there', () => {
    expect(warnings(minimal()).filter((w) => w.startsWith('email.linkBase'))).toEqual([
      "email.linkBase is http://127.0.0.1:3000 (this machine), so links in emails will not open: set it to the API's public base URL (stack output ApiUrl…)",
    ]);
    expect(['http://localhost:3000/', 'http://127.0.0.2', 'http://[::1]:8080', 'http://0.0.0.0'].filter(isLoopbackUrl)).toHaveLength(4);
    expect(['https://proposals.example.gov.cn', 'https://127.example.cn', 'https://localhost.example.cn'].filter(isLoopbackUrl)).toEqual(
      [],
    );
  });

  it('name a numbering without {year}', () => {
    const cfg = clean();
    cfg.numbering = 'A{seq:4}';
    expect(warnings(cfg)).toEqual(['numbering "A{seq:4}" has no {year}: case numbers restart every year and repeat']);
  });
});

describe('JSON city files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'city-json-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are listed beside YAML files, as synth and city:check read them', () => {
    for (const f of ['b.json', 'a.yaml', 'c.yml', 'notes.txt']) writeFileSync(join(dir, f), '');
    expect(listCityFiles(dir)).toEqual(['a.yaml', 'b.json', 'c.yml'].map((f) => join(dir, f)));
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
    expect(stdout).toContain('⚠ infra/cities/shihezi.yaml: email.linkBase is http://127.0.0.1:3000 (this machine)');
  }, 30_000);

  it('reads a JSON file, and warns (exit 0) when the file name is not the id', async () => {
    const good = join(dir, 'x.json');
    writeFileSync(good, JSON.stringify(minimal()));
    const ok = await cityCheck(good);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`✓ ${good}: 某市 (4 units, 4 keywords)`);
    const misnamed = join(dir, 'y.yaml');
    writeFileSync(misnamed, stringify(minimal()));
    const bad = await cityCheck(misnamed);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toContain(
      `⚠ ${misnamed}: id "x" differs from the file name: name the file x.yaml before deploying (synth stops on it)`,
    );
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
    expect(readErrors(() => loadCityConfigJson(yamlShaped))).toEqual([
      `${yamlShaped}: (file): not a checked city config (format "proposals/checked-city-config/1"): write it from the YAML with writeCityConfigJson, as cdk synth and the local runtime do`,
    ]);
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{');
    expect(readErrors(() => loadCityConfigJson(notJson))[0]).toMatch(/^.*bad\.json: \(file\): not JSON: /);
    expect(readErrors(() => loadCityConfigJson(join(dir, 'none.json')))).toEqual([`${join(dir, 'none.json')}: (file): no such file`]);
  });
});
