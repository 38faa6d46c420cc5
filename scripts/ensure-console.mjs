// `npm start` runs this first: builds the console (web/dist) when it is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'docs/openapi.json', 'package-lock.json'];
const newest = (p) => {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(p).map((e) => newest(join(p, e))));
};
const built = existsSync('web/dist/index.html') ? statSync('web/dist/index.html').mtimeMs : 0;
if (built < Math.max(...sources.map(newest))) {
  console.log(built ? '工作台源码已更新，正在重新构建…' : '正在构建工作台（web/dist）…');
  const r = spawnSync('npm', ['run', '--silent', 'build:web'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
