import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import ActionDialog from './ActionDialog.vue';
import ActionBar from './ActionBar.vue';
import { actionSpecs, type ActionContext } from './actions';
import { ApiProblem } from '../api/problem';
import type { ProposalView } from '../api/types';

const view = {
  id: 'p1',
  number: '2026-001',
  title: 't',
  lead: 'commerce',
  co: [],
  similar: [],
  matchedKeywords: [],
  replies: [],
  actions: ['reply', 'object'],
} as unknown as ProposalView;
const ctx: ActionContext = {
  view,
  identity: { role: 'unit', sub: 'u', unit: 'commerce' },
  units: [{ id: 'commerce', name: '商务局' }],
  timeZone: 'Asia/Shanghai',
};

// Element Plus, whole (tests only; the app imports it per component); transitions not stubbed, so error texts render.
const global = { plugins: [ElementPlus], stubs: { transition: false, 'transition-group': false } };
const findButton = (text: string) => [...document.body.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);

afterEach(() => {
  document.body.innerHTML = '';
});

describe('ActionDialog', () => {
  it('shows each server field error beside its field and the rest above the form', async () => {
    const send = vi.fn().mockRejectedValue(
      ApiProblem.from(400, {
        title: '请求无效',
        status: 400,
        detail: 'x',
        errors: [
          { path: 'text', message: '答复内容不能为空' },
          { path: 'unit', message: '不是本单位' },
        ],
      }),
    );
    const w = mount(ActionDialog, {
      props: { spec: { ...actionSpecs.reply, send }, ctx, modelValue: true },
      global,
      attachTo: document.body,
    });
    await flushPromises();
    findButton('提交答复')?.click();
    await flushPromises();
    await new Promise((r) => setTimeout(r, 150)); // el-form-item shows its error state debounced

    expect(send).toHaveBeenCalledOnce();
    const items = [...document.body.querySelectorAll('.el-form-item')];
    const textItem = items.find((i) => i.querySelector('label')?.textContent?.includes('答复内容'));
    const classItem = items.find((i) => i.querySelector('label')?.textContent?.includes('答复类别'));
    expect(textItem?.querySelector('.el-form-item__error')?.textContent).toContain('答复内容不能为空');
    expect(classItem?.querySelector('.el-form-item__error')).toBeNull();
    expect(document.body.querySelector('.el-alert')?.textContent).toContain('承办单位：不是本单位');
    expect(w.emitted('done')).toBeUndefined();
    w.unmount();
  });

  it('labels every field so a person (and getByLabel) finds it', async () => {
    const w = mount(ActionDialog, { props: { spec: actionSpecs.contact, ctx, modelValue: true }, global, attachTo: document.body });
    await flushPromises();
    for (const name of ['联系方式', '联系时间', '情况记录']) {
      const label = [...document.body.querySelectorAll('label')].find((l) => l.textContent?.trim() === name);
      const target = label?.getAttribute('for');
      expect(target, name).toBeTruthy();
      expect(document.getElementById(target!), name).not.toBeNull();
    }
    w.unmount();
  });

  it('leaves checking to the server (novalidate: no English browser tooltip blocks the submit)', async () => {
    const w = mount(ActionDialog, { props: { spec: actionSpecs.contact, ctx, modelValue: true }, global, attachTo: document.body });
    await flushPromises();
    const form = document.body.querySelector('form');
    expect(form).not.toBeNull();
    expect(form!.noValidate).toBe(true);
    w.unmount();
  });

  it('closes and hands over the new view on success', async () => {
    const send = vi.fn().mockResolvedValue({ ...view, status: 'reply_review' });
    const w = mount(ActionDialog, {
      props: { spec: { ...actionSpecs.object, send }, ctx, modelValue: true },
      global,
      attachTo: document.body,
    });
    await flushPromises();
    findButton('提交申请')?.click();
    await flushPromises();
    expect(w.emitted('done')?.[0]).toEqual([{ ...view, status: 'reply_review' }]);
    expect(w.emitted('update:modelValue')?.[0]).toEqual([false]);
    w.unmount();
  });
});

describe('ActionBar', () => {
  it('offers exactly the actions the API lists, by their Chinese names', async () => {
    const w = mount(ActionBar, { props: { ctx }, global, attachTo: document.body });
    await flushPromises();
    expect(w.findAll('button').map((b) => b.text())).toEqual(['答复', '申请调整']);
    await w.setProps({ ctx: { ...ctx, view: { ...view, actions: [] } } });
    expect(w.findAll('button')).toHaveLength(0);
    w.unmount();
  });
});
