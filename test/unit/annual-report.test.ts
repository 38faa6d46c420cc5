import { describe, expect, it } from 'vitest';
import { computeStatistics } from '#domain/statistics.ts';
import { themeOf, type ReportCity } from '#domain/annual-report.ts';
import { pct } from '#domain/glossary.ts';
import { renderAnnualReport } from '#render/annual-report.ts';
import { dataset, events, NOW } from './report-fixtures.ts';

const names: Record<string, string> = {
  health: '卫生健康委员会',
  commerce: '商务局',
  housing: '住房和城乡建设局',
  transport: '交通运输局',
};
const city: ReportCity = { name: '阿拉尔市', timeZone: 'Asia/Shanghai', unitName: (u) => names[u] ?? u };
const stats = computeStatistics(2026, dataset, NOW, { events });
const md = renderAnnualReport(stats, dataset, city, 'md');
const html = renderAnnualReport(stats, dataset, city, 'html');

/** The text of a section: from its heading to the next heading of the same level. */
const section = (title: string) => {
  const start = md.indexOf(`## ${title}`);
  const end = md.indexOf('\n## ', start + 3);
  return md.slice(start, end < 0 ? undefined : end);
};

describe('the annual report', () => {
  it('has the four sections of an annual review, in order, and the per-unit table', () => {
    const heads = md
      .split('\n')
      .filter((l) => l.startsWith('## '))
      .map((l) => l.slice(3));
    expect(heads).toEqual([
      '一、基本情况',
      '二、主要做法',
      '三、办理成效',
      '四、下一步工作',
      '附表一：各承办单位办理情况',
      '附表二：各承办单位办理考评',
    ]);
    expect(md.startsWith('# 阿拉尔市2026年政协提案办理工作情况报告\n')).toBe(true);
  });

  it('基本情况: counts, completion, rates, themes and the class mix', () => {
    const s = section('一、基本情况');
    expect(s).toContain('共收到政协委员提案8件，经审查立案5件（并案处理1件，不予立案1件，尚待审查1件）');
    expect(s).toContain(
      '已办复3件，办结率60%（已办复占立案），办复率75%（已办复占交办）；按时办复率50%（承办单位签发答复未超过办理期限，2/4件）；2件已完成评价。',
    );
    expect(s).toContain(
      '提案人评价4人次（应评价5人次，评价反馈率80%），其中满意2人次、基本满意1人次、不满意1人次，满意率50%，基本满意率25%，满意和基本满意合计75%。',
    );
    expect(s).toContain('截至2026年12月1日');
    expect(s).toContain('社会民生（2件）');
    expect(s).toContain(
      'A类（所提问题已经解决或基本解决）1件，B类（所提问题正在解决或已列入计划逐步解决）1件，C类（所提问题因条件限制或其他原因需待以后解决）1件，D类（所提问题因法律法规政策限制等原因无法解决，留作参考）0件',
    );
  });

  it('基本情况: per theme (category) and per 界别, the same measures', () => {
    const s = section('一、基本情况');
    expect(s).toContain('| 主题 | 立案 | 已办复 | 办结率 | 按时办复率 | 满意率 | 基本满意率 |');
    expect(s).toContain('| 社会民生 | 2 | 1 | 50% | 50% | 50% | 50% |'); // p1 answered on time (满意 + 基本满意), p3 late
    expect(s).toContain('| 未分类 | 2 | 1 | 50% | 0% | 50% | 0% |'); // p2 (late; 满意 + 不满意), p6 in triage
    expect(s).toContain('| 未登记界别 | 5 | 3 | 60% | 50% | 50% | 25% |'); // no proposer has a 界别 in the fixtures
  });

  it("the city's own reply classes name the class mix and the outcomes", () => {
    const classes = [
      { code: 'A', name: '已解决', followUp: false },
      { code: 'B', name: '正在解决', followUp: true },
      { code: 'C', name: '暂难解决', followUp: true },
    ];
    const own = computeStatistics(2026, dataset, NOW, { events, classes });
    const text = renderAnnualReport(own, dataset, { ...city, classes }, 'md');
    expect(text).toContain('从答复类别看，A类（已解决）1件，B类（正在解决）1件，C类（暂难解决）1件。B类、C类的提案中，尚有1件在跟踪落实。');
    expect(text).not.toContain('D类');
  });

  it('主要做法: assignment accuracy, on-time acknowledgement, 面商率, escalations, re-handling', () => {
    const s = section('二、主要做法');
    expect(s).toContain('交办准确率75%');
    expect(s).toContain('按时签收率66.7%');
    expect(s).toContain('主办单位与提案人当面协商或走访2件，面商率50%；各承办单位与提案人沟通联系3件，沟通率75%。');
    expect(s).toContain(
      '政府办审核承办单位答复4件次（已审结4件次，平均用时0个工作日），均未超过审核期限；审核用时不计入承办单位按时办复。',
    );
    expect(s).toContain('B类答复持续跟踪落实，尚在跟踪1件；应作二次答复0件，已二次答复0件。');
    expect(s).toContain('办理提醒2次；逾期催办1次、督办1次、报分管领导2次');
    expect(s).toContain('重新办理1件');
  });

  it('精准交办 says how proposals were assigned and changed, as the events show, and claims no unit asked when none did', () => {
    expect(section('二、主要做法')).toContain(
      '4件交办提案中，3件按承办单位职责关键词自动匹配交办，1件由人工交办；3件未经调整，交办准确率75%；1件调整交办，其中1件经承办单位申请调整。',
    );
    const noEvents = renderAnnualReport(computeStatistics(2026, dataset, NOW), dataset, city, 'md');
    expect(noEvents).toContain('4件交办提案中，3件未经调整，交办准确率75%；1件调整交办。');
    expect(noEvents).not.toContain('关键词');
  });

  it('a rate short of 100% never prints as 100%, one above 0 never as 0%', () => {
    expect([
      pct(1999 / 2000),
      pct(99_999 / 100_000),
      pct(1 / 2000),
      pct(1 / 20_000),
      pct(1),
      pct(0),
      pct(2 / 3),
      pct(0.5),
      pct(null),
    ]).toEqual(['99.9%', '99.9%', '0.1%', '0.1%', '100%', '0%', '66.7%', '50%', '—']);
  });

  it("附表一 counts 满意, 基本满意 and 不满意 apart, with the units' 办复率, 按时办复率 and 面商率", () => {
    const s = section('附表一：各承办单位办理情况');
    expect(s).toContain('| 承办单位 | 主办 | 协办 | 已办复 | 办复率 | 按时办复率 | 面商率 | 超期 | 满意 | 基本满意 | 不满意 |');
    expect(s).toContain('| 卫生健康委员会 | 2 | 1 | 1 | 50% | 50% | 50% | 1 | 1 | 1 | 0 |');
  });

  it('附表二: the units assessed with the weights, each shortfall traced to its case numbers', () => {
    const s = section('附表二：各承办单位办理考评');
    expect(s).toContain('按时签收15、面商20、按时办复25、满意度30、二次答复10');
    expect(s).toContain('| 承办单位 | 按时签收 | 面商 | 按时办复 | 满意度 | 二次答复 | 得分 | 未达标事项 |');
    // health: (15×2/3 + 20×1/2 + 25×1/2 + 30×1) / (15+20+25+30) = 62.5/90 = 69.4
    expect(s).toContain(
      '| 卫生健康委员会 | 66.7% | 50% | 50% | 100% | — | 69.4 | 按时签收：2026-007；面商：2026-003；按时办复：2026-003 |',
    );
  });

  it('办理成效: by theme (category, else the lead unit), each outcome from its reply with its proposers', () => {
    const s = section('三、办理成效');
    expect(themeOf(dataset[1]!, city)).toBe('商务局');
    expect(s).toContain('### （一）社会民生（2件）');
    expect(s).toMatch(
      /2026-001 关于加强婴幼儿托育服务的建议\*\* （提案人：王丽、李建国；主办：卫生健康委员会；协办：交通运输局）A类（所提问题已经解决或基本解决）：新增普惠托育机构3家。/,
    );
    expect(s).toContain('B类（所提问题正在解决或已列入计划逐步解决）：列入明年计划，打造夜市街区。（经重新办理）'); // the last approved reply
    expect(s).toContain('2026-003 关于完善院前急救体系的建议** （提案人：王丽；主办：卫生健康委员会）办理中。');
    expect(s).not.toContain('去年的提案');
    expect(s).not.toContain('关于发展托育服务的建议'); // merged: counted through its main proposal
  });

  it('下一步工作: units with overdue or dissatisfied items', () => {
    const s = section('四、下一步工作');
    expect(s).toContain('卫生健康委员会：** 超期未办1件（2026-003（面商联系、答复））');
    expect(s).toContain('商务局：** 提案人不满意1人次');
    expect(s).not.toContain('住房和城乡建设局');
  });

  it('escapes user text in Markdown and HTML', () => {
    expect(md).toContain('\\<script\\>孙\\</script\\>');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;孙&lt;/script&gt;');
  });

  it('HTML is one self-contained page with an inline SVG chart of 办复率 per lead unit', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<link|<script|src=|@import|url\(/i);
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(svg).toContain('各主办单位办复率');
    expect(svg.match(/fill="#a61b1b"/g)).toHaveLength(3); // health, commerce, housing (transport leads none)
    expect(svg).toContain('卫生健康委员会</text>');
    expect(svg).toContain('50%（1/2）');
    expect(svg).toContain('width="360" height="18" fill="#a61b1b"'); // 商务局 100%
  });
});
