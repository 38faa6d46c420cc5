import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h, onMounted } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { RouterView, createMemoryHistory, createRouter } from 'vue-router';
import { setConfig } from '../config';
import AppLayout from './AppLayout.vue';

vi.mock('../api/me', async () => {
  const { computed, ref } = await import('vue');
  const me = ref();
  return {
    loadMe: vi.fn().mockResolvedValue(undefined),
    forgetMe: vi.fn(),
    useMe: () => ({ me, unitName: (id: string) => id, units: computed(() => []) }),
  };
});

describe('AppLayout', () => {
  it('keeps a page when only its query changes (filters, year) and remounts it on another path', async () => {
    setConfig({ city: { id: 'alar', name: '阿拉尔市', timeZone: 'Asia/Shanghai' }, apiBase: '', auth: { mode: 'local' } });
    let mounts = 0;
    const Page = defineComponent({ setup: () => (onMounted(() => mounts++), () => h('p', '页面')) });
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        {
          path: '/',
          component: AppLayout,
          children: [
            { path: 'reports', component: Page },
            { path: 'proposals/:id', component: Page },
            { path: ':rest(.*)*', component: Page },
          ],
        },
      ],
    });
    await router.push('/reports');
    const w = mount(RouterView, { global: { plugins: [router, ElementPlus] } });
    await flushPromises();
    expect(mounts).toBe(1);

    await router.push('/reports?year=2025');
    await flushPromises();
    await router.push('/reports?year=2025&tab=bulletin');
    await flushPromises();
    expect(mounts).toBe(1);

    await router.push('/proposals/a');
    await flushPromises();
    await router.push('/proposals/b');
    await flushPromises();
    expect(mounts).toBe(3);
    w.unmount();
  });
});
