/**
 * `npm run demo [-- --year 2026 --out tmp/demo]`: a year of proposals on the local stack, in about a minute.
 *
 * Starts the local stack on free ports and, like an outside client (HTTP API + /_local endpoints
 * only), runs a year like a city's annual review through the whole workflow with the clock moved
 * forward: submission (members), auto-assignment by keyword, triage (one merged, one rejected, one
 * assigned by hand, split between two lead units: 分办), an objection and reassignment, a key proposal (重点提案) led by a leader who
 * gives a 批示 the units sign, acknowledgements (one unit late: reminders and
 * escalations come from the sweep), 面商, co-unit opinions (会签), replies (one returned), approvals,
 * feedback with the tokens from the captured emails, one 不满意 re-handled, B/C follow-up, one
 * proposal closed at its feedback deadline, one still open at year end. Then it writes the annual
 * report (tmp/demo/annual-report-<year>.html and .md), prints a summary and stops the stack.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { startLocalStack } from '#infra/local/stack.ts';
import { ApiClient, parseArgs } from './api-client.ts';
import { duplicate, late, MEMBER_FILE, members, offTopic, proposals, vague, type DemoProposal } from './demo-data.ts';
import { importMemberRecords } from './import-members.ts';
import { readTable } from './import.ts';

// The handlers' JSON logs would bury the demo's own lines: warnings and errors only unless LOG_LEVEL says otherwise.
process.env.LOG_LEVEL ??= 'warn';

const { flags } = parseArgs(process.argv.slice(2));
const YEAR = Number(flags.get('year') ?? 2026);
const OUT = flags.get('out') ?? 'tmp/demo';
const SLOW_UNIT = 'natural-resources';
/** The leader (infra/cities/alar.yaml email.leaders) who leads the year's key proposal (领办) and gives a 批示. */
const KEY_LEADER = '分管副市长';
/** --keep: leave the stack running on PORT (default 3000) for a person to open the console. */
const KEEP = flags.has('keep');

const view = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  status: z.string(),
  lead: z.string().nullable(),
  /** 分办: every lead unit, when split. */
  leads: z.array(z.string()).default([]),
  co: z.array(z.string()),
  proposers: z.array(z.object({ memberId: z.string(), name: z.string(), email: z.string(), sector: z.string().optional() })),
  units: z.record(
    z.string(),
    z.object({ role: z.enum(['lead', 'co']), acknowledgedAt: z.string().optional(), opinion: z.unknown().optional() }),
  ),
  replies: z.array(z.object({ n: z.number(), status: z.string() })),
  followUp: z.object({ open: z.boolean() }).optional(),
  instructions: z.array(z.object({ n: z.number(), units: z.record(z.string(), z.object({ acknowledgedAt: z.string().optional() })) })),
});
type View = z.infer<typeof view>;
const emailList = z.array(z.object({ to: z.array(z.string()), subject: z.string(), text: z.string() }));
const summarySchema = z.object({
  total: z.number(),
  registered: z.number(),
  closed: z.number(),
  merged: z.number(),
  rejected: z.number(),
  rehandled: z.number(),
  completionRate: z.number().nullable(),
  onTimeRate: z.number().nullable(),
  replyRate: z.number().nullable(),
  onTimeReplyRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
  basicSatisfactionRate: z.number().nullable(),
  faceToFaceRate: z.number().nullable(),
  classes: z.record(z.string(), z.number()),
  overdue: z.array(z.unknown()),
});

const t0 = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${s}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (r: number | null) => (r === null ? '—' : `${Number((r * 100).toFixed(1))}%`);
const at = (date: string, time = '10:00') => `${YEAR}-${date}T${time}:00+08:00`;
/** 'MM-DD' n days after 'MM-DD'. */
const plusDays = (date: string, n: number) => new Date(Date.parse(`${YEAR}-${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(5, 10);

async function inParallel<T>(items: readonly T[], fn: (x: T) => Promise<unknown>, n = 6): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let x = queue.shift(); x !== undefined; x = queue.shift()) await fn(x);
    }),
  );
}

async function main(): Promise<void> {
  log(`启动本地运行环境（DynamoDB Local、SQS、SES 模拟器）…`);
  const port = KEEP ? Number(process.env.PORT ?? 3000) : 0;
  const stack = await startLocalStack({ port, sesPort: 0, ddbPort: 0, sqsPort: 0, sweepEverySeconds: 0 });
  let kept = false;
  try {
    const api = new ApiClient(stack.urls.api);
    log(`接口 ${stack.urls.api}，邮件模拟器 ${stack.urls.ses}`);
    await runYear(api);
    if (KEEP) kept = keepRunning(stack.urls.api, () => stack.stop());
  } finally {
    if (!kept) {
      await stack.stop();
      log('本地运行环境已停止');
    }
  }
}

/** Prints the console's address and a sign-in link per role, then runs until Ctrl-C / SIGTERM. */
function keepRunning(base: string, stop: () => Promise<void>): true {
  const login = (q: string, next = '/') => `${base}/_local/login?${q}&next=${encodeURIComponent(next)}`;
  console.log(`
工作台 ${base}/ 仍在运行（按 Ctrl-C 停止）。以下链接直接以该身份登录：
  政府办公室:        ${login('role=office')}
  分管领导:          ${login('role=leader', '/reports')}
  ${KEY_LEADER}（领办重点提案）: ${login(`role=leader&leader=${encodeURIComponent(KEY_LEADER)}`, '/proposals')}
  政协提案委员会:      ${login('role=committee', '/proposals')}
  商务局（承办单位）:  ${login('role=unit&unit=commerce')}
  自然资源局（有超期事项）: ${login(`role=unit&unit=${SLOW_UNIT}`)}
  委员 ${members[0]?.name ?? ''}:        ${login(`role=member&memberId=${members[0]?.memberId ?? ''}`, '/proposals')}
  全部身份与开发者接口: ${base}/_local/`);
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return true;
}

async function runYear(api: ApiClient): Promise<void> {
  // The 委员名册 first: the sample city's directory (with 界别) through the API, as an office imports it.
  const directory = await importMemberRecords(await readTable(MEMBER_FILE), api);
  if (directory.errors.length) throw new Error(`委员名册导入出错：${JSON.stringify(directory.errors)}`);
  log(`委员名册：导入 ${directory.written.length} 位委员（${MEMBER_FILE}）`);
  const office = await api.token('office');
  const unit = (u: string) => api.token('unit', { unit: u });
  const ok = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await api.call(method, path, { token, ...(body === undefined ? {} : { body }) });
    if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${res.text.slice(0, 400)}`);
    return res.body;
  };
  const get = async (id: string) => view.parse(await ok('GET', `/v1/proposals/${id}`, office));
  let sweeps = 0;
  const clock = async (iso: string) => {
    await ok('POST', '/_local/clock', office, { set: iso });
    await ok('POST', '/_local/sweep', office);
    sweeps++;
  };
  /** Moves the clock day by day (or in bigger steps) to `to`, sweeping at every step. */
  const walk = async (from: string, to: string, stepDays = 1) => {
    for (let d = Date.parse(at(from)); d <= Date.parse(at(to)); d += stepDays * 86_400_000) await clock(new Date(d).toISOString());
  };
  const emails = async () => emailList.parse(await ok('GET', '/_local/emails', office));
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> => {
    for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(150)) {
      const got = await probe();
      if (got !== undefined) return got;
    }
    const mails = await emails();
    throw new Error(`等待超时：${what}（已捕获邮件 ${mails.length} 封，最后一封：${mails.at(-1)?.subject ?? '无'}）`);
  };
  const used = new Set<string>();
  /** Each proposer's feedback token (not used yet) from the 答复 emails of each proposal; one email fetch per poll. */
  const tokensFor = (ps: View[]) =>
    waitFor(`${ps.length} 件提案的答复邮件`, async () => {
      const mails = (await emails()).filter((m) => m.subject.includes('答复') && /token=/.test(m.text));
      const out = ps.map((p) => {
        const mine = mails.filter((m) => m.subject.includes(p.number));
        return p.proposers.map(
          (x) =>
            mine.map((m) => (m.to.includes(x.email) ? /token=([\w.-]+)/.exec(m.text)?.[1] : undefined)).find((t) => t && !used.has(t)) ??
            '',
        );
      });
      return out.every((ts) => ts.every(Boolean)) ? out : undefined;
    });
  /** The proposers of each proposal rate its reply with the links from their emails (测评). */
  const rate = async (ps: View[], ratings: (p: View) => string[]) => {
    const tokens = await tokensFor(ps);
    await inParallel(
      ps.map((p, i) => ({ p, ts: tokens[i] ?? [] })),
      async ({ p, ts }) => {
        for (const [k, token] of ts.entries()) {
          used.add(token);
          const satisfaction = ratings(p)[k];
          if (satisfaction)
            await ok('POST', '/v1/feedback', office, {
              token,
              satisfaction,
              ...(satisfaction === 'dissatisfied' ? { comment: '建设进度偏慢，希望今年就能见到实效。' } : {}),
            });
        }
      },
    );
  };
  const submit = async (d: { title: string; body: string; category: string; by: number[]; key?: boolean }) => {
    const who = d.by.map((i) => members[i % members.length]!);
    const token = await api.token('member', { memberId: who[0]!.memberId });
    const res = z.object({ id: z.string() }).parse(
      await ok('POST', '/v1/proposals', token, {
        title: d.title,
        body: d.body,
        category: d.category,
        proposers: who.map((w) => ({ memberId: w.memberId })),
      }),
    );
    // 联名确认: each co-proposer confirms in the console (the sample city asks them to).
    for (const w of who.slice(1))
      await ok('POST', `/v1/proposals/${res.id}/cosign`, await api.token('member', { memberId: w.memberId }), { accept: true });
    return res.id;
  };
  const settled = async (ids: string[]) => {
    await waitFor('自动交办', async () => {
      const page = z
        .object({ items: z.array(z.unknown()) })
        .parse(await ok('GET', `/v1/proposals?year=${YEAR}&status=submitted&limit=100`, office));
      return page.items.length === 0 ? true : undefined;
    });
    return Promise.all(ids.map(get));
  };

  // ---- 1月: 提交、立案、交办 ----
  await clock(at('01-12', '09:30'));
  const ids = new Map<DemoProposal, string>();
  await inParallel(proposals, async (d) => void ids.set(d, await submit(d)), 4);
  const [dupId, offId, vagueId] = [await submit(duplicate), await submit(offTopic), await submit(vague)];
  const main = proposals.map((d) => ids.get(d) ?? '');
  let views = await settled([...main, dupId, offId, vagueId]);
  log(`${YEAR}年1月12日：政协委员提交提案 ${views.length} 件，系统按关键词自动交办 ${views.filter((p) => p.lead).length} 件`);
  await ok('POST', `/v1/proposals/${dupId}/review`, office, {
    decision: 'merge',
    mergeInto: main[0],
    reason: '与夜市经济提案内容相近，并案办理',
  });
  await ok('POST', `/v1/proposals/${offId}/review`, office, {
    decision: 'reject',
    reason: '属于个人诉求，不属于提案范围，建议通过信访渠道反映',
  });
  await ok('POST', `/v1/proposals/${vagueId}/assignment`, office, {
    lead: 'housing',
    leads: ['market'],
    co: [],
    reason: '人工交办：住房和城乡建设局、市场监督管理局分别答复（分办）',
  });
  const objected = views[12]!;
  if (objected.lead) {
    await ok('POST', `/v1/proposals/${objected.id}/units/${objected.lead}/objection`, await unit(objected.lead), {
      reason: '校园食堂管理由教育部门牵头，建议调整主办单位。',
    });
    await ok('POST', `/v1/proposals/${objected.id}/assignment`, office, {
      lead: 'education',
      co: [objected.lead],
      reason: '根据承办单位申请调整',
    });
  }
  log('政府办：并案 1 件、不予立案 1 件、人工交办 1 件（分办）、根据申请调整交办 1 件');
  // ---- 重点提案: the office names its 领办领导, who gives a 批示 the units then sign (with their 交办) ----
  const keyIds = proposals.filter((d) => d.key).map((d) => ids.get(d) ?? '');
  const leaderToken = await api.token('leader', { leader: KEY_LEADER });
  for (const id of keyIds) {
    await ok('POST', `/v1/proposals/${id}/key`, office, { key: true, leader: KEY_LEADER });
    await ok('POST', `/v1/proposals/${id}/instructions`, leaderToken, {
      text: '夜间经济是扩大消费的重要抓手。请商务局牵头，会同有关部门拿出夜市街区建设方案，年内见成效。',
    });
  }
  log(`重点提案 ${keyIds.length} 件，由${KEY_LEADER}领办并作出批示`);

  // ---- 签收: every unit within two days, except the slow one ----
  await clock(at('01-14'));
  const all = [...main, vagueId];
  views = await Promise.all(all.map(get));
  const acknowledge = async (p: View, except?: string) => {
    for (const u of Object.keys(p.units))
      if (u !== except && !p.units[u]?.acknowledgedAt) await ok('POST', `/v1/proposals/${p.id}/units/${u}/acknowledge`, await unit(u));
  };
  await inParallel(views, (p) => acknowledge(p, SLOW_UNIT));
  for (const id of keyIds)
    for (const i of (await get(id)).instructions)
      for (const u of Object.keys(i.units)) await ok('POST', `/v1/proposals/${id}/instructions/${i.n}/acknowledge`, await unit(u));
  log(`各承办单位签收；${SLOW_UNIT}（自然资源局）未按期签收`);
  // ---- 面商 and 会签 (the slow unit's after it acknowledged) ----
  const plan = new Map(proposals.map((d) => [ids.get(d), d]));
  const handle = async (p: View, day: string) => {
    const mode = plan.get(p.id)?.contact ?? 'face_to_face';
    if (p.lead !== SLOW_UNIT || day !== '01-16') {
      if (p.lead)
        await ok('POST', `/v1/proposals/${p.id}/contacts`, await unit(p.lead), {
          unit: p.lead,
          mode,
          at: at(day, '09:00'),
          note: mode === 'face_to_face' ? '与提案人当面协商办理思路。' : '与提案人电话沟通办理意见。',
        });
    }
    for (const co of p.co)
      if (co !== SLOW_UNIT || day !== '01-16')
        await ok('POST', `/v1/proposals/${p.id}/units/${co}/opinion`, await unit(co), { text: '同意主办单位办理意见，将按职责配合落实。' });
  };
  await clock(at('01-16'));
  await inParallel(
    views.filter((p) => p.lead !== SLOW_UNIT && !p.co.includes(SLOW_UNIT)),
    (p) => handle(p, '01-16'),
  );
  log('1月16日：承办单位与提案人面商，协办单位提出会签意见');
  await walk('01-17', '01-27');
  const slowOnes = views.filter((p) => p.units[SLOW_UNIT]);
  await clock(at('01-28'));
  await inParallel(slowOnes, (p) => acknowledge(p));
  await inParallel(slowOnes, (p) => handle(p, '01-28'));
  log('1月28日：自然资源局在提醒和催办后签收、面商');
  await walk('02-02', '03-01', 7);

  // ---- 3月: replies in three batches, approvals, feedback ----
  /** Each lead unit answers (分办: each its own part). */
  const reply = async (p: View, d: DemoProposal | undefined, text?: string, cls?: string) => {
    for (const lead of p.leads.length ? p.leads : p.lead ? [p.lead] : [])
      await ok('POST', `/v1/proposals/${p.id}/replies`, await unit(lead), {
        class: cls ?? d?.cls ?? 'A',
        text: text ?? d?.reply ?? '已按建议落实。',
      });
  };
  const approveLatest = async (id: string) => {
    const p = await get(id);
    for (const r of p.replies.filter((x) => x.status === 'review')) await ok('POST', `/v1/proposals/${id}/replies/${r.n}/approve`, office);
    return get(id);
  };
  const ratingsFor = (p: View, i: number) =>
    p.proposers.map((_, k) =>
      i === 0 && k === p.proposers.length - 1 ? 'dissatisfied' : (i + k) % 3 === 1 ? 'basically_satisfied' : 'satisfied',
    );
  const neverRated = main[24];
  for (const [batch, day] of [
    [0, '03-02'],
    [1, '03-13'],
    [2, '03-24'],
  ] as const) {
    await clock(at(day));
    const todo = views.filter((p) => p.lead !== SLOW_UNIT && (plan.get(p.id)?.batch ?? 0) === batch);
    await inParallel(todo, (p) => reply(p, plan.get(p.id)));
    if (batch === 0) {
      const first = todo.find((p) => p.id === main[1]) ?? todo[1];
      if (first) {
        await ok('POST', `/v1/proposals/${first.id}/replies/1/return`, office, { reason: '请补充面商情况和具体数据。' });
        await reply(first, plan.get(first.id), `${plan.get(first.id)?.reply ?? ''}（已与提案人面商。）`);
      }
    }
    await clock(at(plusDays(day, 2)));
    const approved = await Promise.all(todo.map((p) => approveLatest(p.id)));
    await clock(at(plusDays(day, 3)));
    await rate(
      approved.filter((p) => p.id !== neverRated),
      (p) => ratingsFor(p, main.indexOf(p.id)),
    );
    // 分办: each part's reply came in its own email; the proposers rate the second part too.
    const split = approved.filter((p) => p.leads.length > 1);
    if (split.length) await rate(split, (p) => p.proposers.map(() => 'basically_satisfied'));
    log(`${day.replace('-', '月')}日：答复 ${todo.length} 件，政府办审核后发送提案人，提案人测评`);
  }

  // ---- 重新办理 of the 不满意 one ----
  const rehandled = await get(main[0]!);
  if (rehandled.status === 'rehandling' && rehandled.lead) {
    await clock(at('04-08'));
    await reply(rehandled, undefined, '已选址建设夜市街区一期，年内开街，并同步完善夜市食品安全监管。', 'A');
    const again = await approveLatest(rehandled.id);
    await clock(at('04-10'));
    await rate([again], (p) => p.proposers.map(() => 'satisfied'));
    log('4月：不满意提案重新办理，二次答复后提案人满意');
  }

  // ---- the slow unit misses the reply deadline: reminders, then escalation ----
  await walk('04-11', '04-25', 2);
  const slow = views.filter((p) => p.lead === SLOW_UNIT);
  await clock(at('04-27'));
  await inParallel(slow, (p) => reply(p, plan.get(p.id)));
  await clock(at('04-28'));
  await rate(await Promise.all(slow.map((p) => approveLatest(p.id))), (p) => p.proposers.map(() => 'basically_satisfied'));
  log(`4月27日：自然资源局逾期答复 ${slow.length} 件（此前收到提醒和催办）`);

  // ---- 跟踪落实 of B/C replies (one left unresolved: overdue); the unrated one closed at its feedback deadline ----
  await walk('05-04', '05-18', 7);
  const followed = (await Promise.all(all.map(get))).filter((p) => p.followUp?.open && p.lead);
  const progress = async (p: View, text: string, resolved: boolean) =>
    ok('POST', `/v1/proposals/${p.id}/progress`, await unit(p.lead ?? ''), { text, resolved });
  await inParallel(followed, (p) => progress(p, '已完成年度计划的60%。', false));
  await clock(at('05-25'));
  const resolved = followed.slice(0, -1);
  await inParallel(resolved, (p) => progress(p, '已全部落实（二次答复）。', true));
  log(`跟踪落实：B、C 类 ${followed.length} 件报告进展，其中 ${resolved.length} 件已落实`);
  await walk('06-01', '09-28', 14);

  // ---- 10月: a late proposal, still open at year end ----
  await clock(at('10-12'));
  const lateId = await submit(late);
  const [lateView] = await settled([lateId]);
  if (lateView) await acknowledge(lateView);
  await walk('10-19', '12-14', 7);
  await clock(at('12-15'));

  // ---- the report ----
  const emailCount = await waitFor(
    '邮件发送完毕',
    async () => {
      const a = (await emails()).length;
      await sleep(800);
      const b = (await emails()).length;
      return a === b ? b : undefined;
    },
    60_000,
  );
  const summary = summarySchema.parse(await ok('GET', `/v1/reports/summary?year=${YEAR}`, office));
  mkdirSync(OUT, { recursive: true });
  const files = [];
  for (const format of ['html', 'md'] as const) {
    const res = await api.call('GET', `/v1/reports/annual?year=${YEAR}&format=${format}`, { token: office });
    if (res.status !== 200) throw new Error(`annual report ${format}: HTTP ${res.status}`);
    const file = join(OUT, `annual-report-${YEAR}.${format}`);
    writeFileSync(file, res.text);
    files.push(file);
  }
  const all2 = await emails();
  const count = (s: string) => all2.filter((m) => m.subject.includes(s)).length;
  console.log(`
==== ${YEAR}年提案办理演示 ====
提案 ${summary.total} 件：立案 ${summary.registered}，并案 ${summary.merged}，不予立案 ${summary.rejected}；已办结 ${summary.closed}
办结率（已办复） ${pct(summary.completionRate)}，办复率 ${pct(summary.replyRate)}，按时办复率 ${pct(summary.onTimeReplyRate)}，满意率 ${pct(summary.satisfactionRate)}，基本满意率 ${pct(summary.basicSatisfactionRate)}，面商率 ${pct(summary.faceToFaceRate)}
答复分类 A ${summary.classes.A ?? 0} / B ${summary.classes.B ?? 0} / C ${summary.classes.C ?? 0} / D ${summary.classes.D ?? 0}；重新办理 ${summary.rehandled} 件；年末超期事项 ${summary.overdue.length} 项
邮件 ${emailCount} 封（交办 ${count('交办')}、提醒 ${count('提醒')}、催办/督办 ${count('催办') + count('督办')}、答复 ${count('答复')}、办结 ${count('办结')}）；定时扫描 ${sweeps} 次
年度报告：${files.join('、')}
用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒`);
}

main().catch((err: unknown) => {
  console.error(`演示失败：${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
