/**
 * Email templates of the member directory's notices (联名确认), in the manner of emails.ts (which
 * takes them into its table): a small document per kind; the layout escapes every value.
 */
import type { NoticeVarsMap } from '#events/notices.ts';
import type { Doc, TemplateCity } from '#render/layout.ts';

type Kinds = 'cosignRequest';
type Templates = { [K in Kinds]: (v: NoticeVarsMap[K], city: TemplateCity) => Doc };

export const memberTemplates: Templates = {
  cosignRequest: (v) => ({
    label: '联名确认',
    topic: { number: v.number, title: v.title },
    greeting: `${v.proposerName}委员：`,
    blocks: [
      {
        p: v.collective
          ? `${v.initiator}委员以${v.collective}名义提交了${v.number}号提案《${v.title}》（集体提案），并将您列为联名提案人。`
          : `${v.initiator}委员提交了${v.number}号提案《${v.title}》，并将您列为联名提案人。`,
      },
      {
        p: '请登录提案办理系统确认是否联名。确认前，该提案不计为您的提案，您也不会收到答复的满意度测评邀请；如不同意联名，请选择“不同意联名”。',
        strong: true,
      },
      { label: '确认联名', link: v.consoleUrl },
    ],
  }),
};
