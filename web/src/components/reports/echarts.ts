/**
 * Apache ECharts, per module: only the core, the two chart types (bar, pie) and the components (grid, tooltip, legend) the statistics
 * page draws with, and the canvas renderer. Imported lazily (ReportChart.vue: `await import('./echarts')`),
 * so no other screen loads any of it.
 */
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { BarSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';

echarts.use([BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export type ReportChartOption = echarts.ComposeOption<
  BarSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

export const { init } = echarts;
export type { ECharts } from 'echarts/core';
