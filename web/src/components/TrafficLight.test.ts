import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import TrafficLight from './TrafficLight.vue';

describe('TrafficLight', () => {
  it.each([
    ['green', '绿灯', '正常'],
    ['yellow', '黄灯', '临近期限'],
    ['red', '红灯', '已超期'],
  ] as const)('%s shows %s with its meaning in text, not colour alone', (light, text, meaning) => {
    const w = mount(TrafficLight, { props: { light } });
    expect(w.text()).toBe(text);
    expect(w.attributes('aria-label')).toBe(`${text}（${meaning}）`);
    expect(w.classes()).toContain(light);
  });

  it('follows a change of the light', async () => {
    const w = mount(TrafficLight, { props: { light: 'green' } });
    await w.setProps({ light: 'red' });
    expect(w.text()).toBe('红灯');
  });
});
