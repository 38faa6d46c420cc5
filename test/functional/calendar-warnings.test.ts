/**
 * A deadline beyond the years the holiday data covers is computed on weekdays only and flagged on the
 * proposal (shown in API responses): in Chinese, with the obligation's name and the city's local date.
 */
import { describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { commandContext } from '#app/run-command.ts';
import { WorkingCalendar } from '#domain/calendar.ts';
import { fakeState } from '../fakes/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const office = { role: 'office' as const, sub: 'o-1' };

describe('calendar warnings', () => {
  it('names the obligation in Chinese and gives the local date', () => {
    const { to } = WorkingCalendar.coveredYears;
    const f = fakeState(config, new Date(`${to}-12-28T10:00:00+08:00`));
    const warnings: string[] = [];
    const ctx = commandContext(f.state, office, warnings);
    const dates = (['objection', 'reply'] as const).map((o) =>
      f.state.calendar
        .localDate(new Date(ctx.due(o)))
        .split('-')
        .map(Number),
    );
    expect(warnings).toEqual([
      `申请调整期限（${dates[0]![0]}年${dates[0]![1]}月${dates[0]![2]}日）超出节假日数据覆盖年份，按周一至周五计算`,
      `答复期限（${dates[1]![0]}年${dates[1]![1]}月${dates[1]![2]}日）超出节假日数据覆盖年份，按周一至周五计算`,
    ]);
    expect(ctx.due('acknowledge')).toBeTruthy();
  });
});
