/**
 * The national four reply classes (答复分类) with their standard wording; B is followed up (跟踪落实).
 * The default of the city config's replies.classes; apart from the schema, so that the functions
 * that need the default (statistics) do not bundle the config schema.
 */
export const defaultReplyClasses: { code: string; name: string; followUp: boolean }[] = [
  { code: 'A', name: '所提问题已经解决或基本解决', followUp: false },
  { code: 'B', name: '所提问题正在解决或已列入计划逐步解决', followUp: true },
  { code: 'C', name: '所提问题因条件限制或其他原因需待以后解决', followUp: false },
  { code: 'D', name: '所提问题因法律法规政策限制等原因无法解决，留作参考', followUp: false },
];
