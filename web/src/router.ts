/** The console's routes (fixed by ../shared/UI.md); every page is loaded when first visited. */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { session, startSignIn } from './auth';
import type { Role } from './auth';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    public?: boolean;
    /** Roles the menu offers the page to (the API decides what they may do there). */
    roles?: Role[];
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/signin', component: () => import('./pages/SignInPage.vue'), meta: { public: true, title: '登录' } },
  { path: '/auth/callback', component: () => import('./pages/AuthCallbackPage.vue'), meta: { public: true, title: '登录' } },
  {
    path: '/',
    component: () => import('./layout/AppLayout.vue'),
    children: [
      { path: '', component: () => import('./pages/TasksPage.vue'), meta: { title: '我的待办' } },
      { path: 'proposals', component: () => import('./pages/ProposalListPage.vue'), meta: { title: '提案列表' } },
      {
        path: 'proposals/new',
        component: () => import('./pages/NewProposalPage.vue'),
        meta: { title: '提交提案', roles: ['member', 'office'] },
      },
      { path: 'proposals/:id', component: () => import('./pages/ProposalDetailPage.vue'), meta: { title: '提案详情' }, props: true },
      {
        path: 'members',
        component: () => import('./pages/MembersPage.vue'),
        meta: { title: '委员名册', roles: ['office', 'committee'] },
      },
      { path: 'reports', component: () => import('./pages/ReportsPage.vue'), meta: { title: '统计与报告', roles: ['office', 'leader'] } },
      { path: ':rest(.*)*', component: () => import('./pages/NotFoundPage.vue'), meta: { title: '页面不存在' } },
    ],
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (to.meta.public || session.token) return true;
  if (await startSignIn(to.fullPath)) return false;
  return { path: '/signin', query: { next: to.fullPath } };
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 提案办理工作台` : '提案办理工作台';
});
