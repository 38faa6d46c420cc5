/** The 答复函 and the public results page as HTML: layout parts, the 公开属性 line, escaping, older replies without a letter. */
import { describe, expect, it } from 'vitest';
import type { Reply } from '#domain/proposal.ts';
import { renderLetterNotFound, renderReplyLetter, type LetterCity, type LetterProposal } from '#render/reply-letter.ts';
import { renderPublicReplies, type PublicReply } from '#render/public-replies.ts';

const city: LetterCity = {
  name: '阿拉尔市',
  unitName: (id) => ({ commerce: '商务局', full: '阿拉尔市卫生健康委员会' })[id] ?? id,
  localDate: (at) => at.slice(0, 10),
};
const proposal: LetterProposal = {
  number: '2026-007',
  proposers: [
    { memberId: 'm-1', name: '王丽', email: 'wangli@example.com', mobile: '13800001111' },
    { memberId: 'm-2', name: '李强', email: 'liqiang@example.com' },
    { memberId: 'm-3', name: '待确认', email: 'x@example.com', cosign: 'pending' },
  ],
};
const reply: Reply = {
  n: 1,
  round: 1,
  unit: 'commerce',
  replyClass: 'B',
  text: '　　您提出的关于发展夜市经济的建议收悉。\n\n一、试点建设特色夜市街区。\r\n二、制定夜间经营管理办法。',
  status: 'approved',
  submittedAt: '2026-05-20T02:00:00Z',
  signedAt: '2026-05-25T02:00:00Z',
  countersigns: [],
  decidedAt: '2026-06-01T02:00:00Z',
  letter: {
    contactName: '李明',
    contactPhone: '0997-4123456',
    disclosure: 'public',
    docNumber: '商务函〔2026〕12号',
    signer: '张伟',
  },
};

const letter = (r: Partial<Reply> = {}, p: Partial<LetterProposal> = {}) =>
  renderReplyLetter(city, { ...proposal, ...p }, { ...reply, ...r });
/** The page's text without tags. */
const textOf = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, '\n');

describe('renderReplyLetter', () => {
  it('has the parts of an official letter, in order, and A4 print styles', () => {
    const html = letter();
    expect(html).toMatch(/^<!doctype html><html lang="zh-CN">/);
    expect(html).toContain('@page{size:A4;');
    expect(html).toContain('@media print');
    const parts = [
      '<span class="class">B类</span>',
      '<h1 class="organ">阿拉尔市商务局</h1>',
      '<span class="docno">商务函〔2026〕12号</span>',
      '<span class="signer">签发人：张伟</span>',
      '<hr class="rule">',
      '<h2 class="title">关于政协第2026-007号提案的答复</h2>',
      '<p class="to">王丽委员、李强委员：</p>',
      '<p>您提出的关于发展夜市经济的建议收悉。</p>',
      '<p>一、试点建设特色夜市街区。</p>',
      '<p>二、制定夜间经营管理办法。</p>',
      '<p class="unit">阿拉尔市商务局</p>',
      '<p class="date">2026年5月25日</p>',
      '<p>（公开属性：公开）</p>',
      '<p>（联系人：李明　　联系电话：0997-4123456）</p>',
    ];
    let at = -1;
    for (const part of parts) {
      const i = html.indexOf(part);
      expect(i, part).toBeGreaterThan(at);
      at = i;
    }
    // The 发文机关 and the rule are red.
    expect(html).toMatch(/\.organ\{[^}]*color:#d40000/);
    expect(html).toMatch(/\.rule\{[^}]*#d40000/);
    // A co-proposer who has not confirmed is not addressed; no proposer's contact data is on the letter.
    expect(html).not.toContain('待确认');
    expect(html).not.toMatch(/wangli@|13800001111/);
  });

  it('states the 公开属性 with the reason when it is not 公开', () => {
    const withLetter = (disclosure: 'public' | 'on_request' | 'private', disclosureReason?: string) =>
      textOf(letter({ letter: { ...reply.letter!, disclosure, ...(disclosureReason ? { disclosureReason } : {}) } }));
    expect(withLetter('public')).toContain('（公开属性：公开）');
    expect(withLetter('on_request', '涉及个人信息')).toContain('（公开属性：依申请公开（理由：涉及个人信息））');
    expect(withLetter('private', '涉及国家秘密')).toContain('（公开属性：不予公开（理由：涉及国家秘密））');
    expect(withLetter('private')).toContain('（公开属性：不予公开）');
    // A reason given for a public letter is not shown.
    expect(withLetter('public', '无')).not.toContain('理由');
  });

  it('addresses a 集体提案 to its collective', () => {
    expect(letter({}, { collective: { kind: 'party', name: '民盟阿拉尔市委员会' } })).toContain('<p class="to">民盟阿拉尔市委员会：</p>');
  });

  it('keeps the salutation the unit wrote itself instead of adding a second one', () => {
    const html = letter({ text: '王丽委员：\n您提出的建议收悉。我局高度重视。' });
    expect(html).toContain('<p class="to">王丽委员：</p>');
    expect(html).not.toContain('李强委员');
    expect(html.match(/王丽委员：/g)).toHaveLength(1);
    // A first line that is a sentence is text, not a salutation.
    for (const text of ['经研究，答复如下：\n一、…', '现答复如下：\n一、…'])
      expect(letter({ text }), text).toContain('<p class="to">王丽委员、李强委员：</p>');
    expect(letter({ text: '尊敬的王丽、李强委员：\n收悉。' })).toContain('<p class="to">尊敬的王丽、李强委员：</p>');
  });

  it('a unit name that has the city already is not prefixed again', () => {
    expect(letter({ unit: 'full' })).toContain('<h1 class="organ">阿拉尔市卫生健康委员会</h1>');
  });

  it('renders an older reply without a letter with what it has: no 文号, 签发人, 公开属性 or contact lines', () => {
    const { letter: _, signedAt: _s, ...older } = reply;
    const html = renderReplyLetter(city, proposal, older);
    expect(html).toContain('<h2 class="title">关于政协第2026-007号提案的答复</h2>');
    expect(html).toContain('<p class="date">2026年5月20日</p>');
    expect(html).not.toMatch(/签发人|公开属性|联系人|联系电话|undefined|class="docno"/);
  });

  it('escapes every value', () => {
    const evil = '<script>alert(1)</script>';
    const html = renderReplyLetter(
      { ...city, unitName: () => `局"><img src=x onerror=alert(2)>` },
      { number: `7${evil}`, proposers: [{ memberId: 'm', name: `王${evil}`, email: 'a@b.cn' }] },
      {
        ...reply,
        text: `正文${evil}\u202e反向`,
        replyClass: '<b>',
        letter: { contactName: evil, contactPhone: `'1'&`, disclosure: 'private', disclosureReason: evil, docNumber: evil, signer: evil },
      },
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('\u202e');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('&#39;1&#39;&#38;');
  });

  it('the not-found page names the city and explains', () => {
    const html = renderLetterNotFound('阿拉尔市<');
    expect(html).toContain('未找到答复函');
    expect(html).toContain('阿拉尔市&#60;人民政府办公室');
  });
});

describe('renderPublicReplies', () => {
  const item: PublicReply = {
    number: '2026-007',
    title: '关于发展夜市经济的建议',
    proposers: ['王丽', '李强'],
    unit: 'commerce',
    unitName: '商务局',
    class: 'B',
    className: '所提问题正在解决或已列入计划逐步解决',
    text: '一、试点。\n二、管理办法。',
    repliedAt: '2026-06-01T02:00:00Z',
    repliedOn: '2026-06-01',
    round: 2,
    docNumber: '商务函〔2026〕12号',
    letterUrl: 'https://p.example.cn/v1/letter?id=x&n=2',
  };

  it('lists each reply with its parts, for small screens too', () => {
    const html = renderPublicReplies({ city: '阿拉尔市', year: 2026, items: [item] });
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(html).toContain('<title>阿拉尔市政协提案办理结果公开（2026年）</title>');
    const text = textOf(html);
    for (const s of [
      '2026-007号提案　关于发展夜市经济的建议',
      '王丽、李强',
      '商务局',
      'B类（所提问题正在解决或已列入计划逐步解决）',
      '2026年6月1日',
      '商务函〔2026〕12号',
      '重新办理后的答复',
      '一、试点。',
      '二、管理办法。',
      '共1件',
    ])
      expect(text, s).toContain(s);
    expect(html).toContain('href="https://p.example.cn/v1/letter?id=x&#38;n=2"');
    expect(html).toContain('<input id="year" name="year" type="number" min="2000" max="2100" value="2026">');
  });

  it('says when a year has none', () => {
    expect(textOf(renderPublicReplies({ city: '阿拉尔市', year: 2025, items: [] }))).toContain('2025年暂无公开的提案答复。');
  });

  it('escapes every value', () => {
    const evil = '<script>alert(1)</script>';
    const html = renderPublicReplies({
      city: evil,
      year: 2026,
      items: [{ ...item, title: evil, text: evil, proposers: [evil], unitName: evil, letterUrl: `"><script>` }],
    });
    expect(html).not.toContain('<script');
  });
});
