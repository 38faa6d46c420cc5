/** Start: /config.json, then the session, then the app (Element Plus per component, zh-CN locale in App.vue). */
import { createApp } from 'vue';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import './styles.css';
import App from './App.vue';
import { loadConfig } from './config';
import { restoreSession, session } from './auth';
import { onUnauthorized } from './api/client';
import { forgetMe } from './api/me';
import { router } from './router';

async function start() {
  await loadConfig();
  await restoreSession().catch(() => false);
  onUnauthorized(() => {
    session.token = undefined;
    session.identity = undefined;
    forgetMe();
    const next = router.currentRoute.value.fullPath;
    if (!router.currentRoute.value.meta.public) void router.push({ path: '/signin', query: { next } });
  });
  createApp(App).use(router).mount('#app');
}

start().catch((e: unknown) => {
  const el = document.getElementById('app');
  if (el) el.textContent = `工作台无法启动：${e instanceof Error ? e.message : String(e)}`;
});
