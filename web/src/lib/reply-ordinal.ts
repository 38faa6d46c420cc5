/**
 * 第k次答复: which reply of its unit a reply is. Each lead unit's replies count on their own (分办:
 * 交通运输局's first answer is its 第1次答复, whatever 商务局 wrote before it); without 分办 only the
 * lead unit writes replies, so k is the reply's number `n`. A number not among `replies` stays as it is.
 */
export function replyOrdinal(replies: readonly { n: number; unit: string }[], n: number): number {
  const unit = replies.find((r) => r.n === n)?.unit;
  return unit === undefined ? n : replies.filter((r) => r.unit === unit && r.n <= n).length;
}
