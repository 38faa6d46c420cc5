/** Figures of the statistics page: rates (fractions 0..1, or null when nothing is counted yet) as percentages. */

/** `0.8537` -> `85.4%`; `1` -> `100%`; null / undefined -> `—`. */
export function percent(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  const v = rate * 100;
  const s = Number.isInteger(v) ? String(v) : v.toFixed(digits);
  return `${s}%`;
}

/** A rate for a chart axis: a percentage number, or null (no bar) when not defined. */
export const percentValue = (rate: number | null | undefined): number | null =>
  rate === null || rate === undefined || !Number.isFinite(rate) ? null : Math.round(rate * 1000) / 10;

/** A file download of text the page already holds (the annual report as Markdown or HTML). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
