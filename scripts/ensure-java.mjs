// `npm start` runs this first: DynamoDB Local needs Java 17+.
import { spawnSync } from 'node:child_process';

const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
const version = /version "(\d+)/.exec(`${result.stderr ?? ''}${result.stdout ?? ''}`)?.[1];
if (result.status !== 0 || !version || Number(version) < 17) {
  console.error('Java 17+ is required for DynamoDB Local (需要 Java 17 或更高版本): apt-get install -y openjdk-17-jre-headless');
  process.exit(1);
}
