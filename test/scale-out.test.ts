// Scale-out that is real: two app processes on one PostgreSQL database behind nginx. A session opened
// through one process is honoured by the other, and the sign-in throttle counts failures across both,
// with the throttle counters in the database and, when Redis is reachable, in Redis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { emptyDatabase } from './helpers/db.ts';
import { freePort, startApp, type RunningServer } from './load/server-process.ts';
import { DEMO_STAFF_PASSWORD } from '../src/server/demo/load-demo.ts';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
const PG = process.env['TEST_DATABASE_URL'];
const skip = !PG ? 'needs PostgreSQL: set TEST_DATABASE_URL (CI does)' : !NGINX ? 'needs nginx (CI installs nginx-light)' : false;

function redisUp(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(6379, '127.0.0.1');
    s.once('connect', () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function startNginx(upstreams: number[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-nginx-'));
  const port = await freePort();
  const conf = `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream ghidanh { ${upstreams.map((p) => `server 127.0.0.1:${p};`).join(' ')} }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://ghidanh;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const check = spawnSync(NGINX!, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
  assert.equal(check.status, 0, `nginx config: ${check.stderr}`);
  const child = spawn(NGINX!, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`${url}/healthz`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: () => {
      child.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const signIn = (url: string, username: string, password: string) =>
  fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

function cookieHeader(r: Response): string {
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

async function twoNodes(t: { after: (fn: () => unknown) => void }, extraEnv: Record<string, string>) {
  const { url: dbUrl, destroy } = await emptyDatabase('postgres');
  // Both processes run one configuration: the same key for the sign-in challenge and known-device cookies
  // (a key file per data folder would make one process refuse what the other signed), and no second
  // factor, since this test is about sessions and throttles (the second factor has its own suite).
  const env = {
    DATABASE_URL: dbUrl,
    TRUST_PROXY: 'true',
    AUTH_SECRET_KEY: 'c2NhbGUtb3V0LXRlc3Qta2V5LTAxMjM0NTY3ODlhYmNkZWY=',
    MFA_REQUIRED_ROLES: 'none',
    ...extraEnv,
  };
  const a: RunningServer = await startApp({ ...env, DEMO_DATA: 'true' });
  const b: RunningServer = await startApp(env);
  const lb = await startNginx([a.port, b.port]);
  t.after(async () => {
    lb.stop();
    await a.stop();
    await b.stop();
    await destroy();
  });
  return { a, b, lb };
}

for (const store of ['database', 'redis'] as const) {
  test(`two app processes behind nginx share sessions and the sign-in throttle (throttle in ${store})`, { skip, timeout: 180_000 }, async (t) => {
    if (store === 'redis' && !(await redisUp())) {
      t.skip('Redis is not reachable at 127.0.0.1:6379');
      return;
    }
    const { a, b, lb } = await twoNodes(t, store === 'redis' ? { REDIS_URL: 'redis://127.0.0.1:6379' } : {});

    // a session opened through the balancer works on each process directly and through the balancer
    const s = await signIn(lb.url, 'so.hanoi', DEMO_STAFF_PASSWORD);
    assert.equal(s.status, 200);
    const cookie = cookieHeader(s);
    for (const url of [a.url, b.url, lb.url, lb.url, lb.url]) {
      const me = await fetch(`${url}/api/session/me`, { headers: { cookie } });
      assert.equal(me.status, 200, `session honoured at ${url}`);
    }

    // failures counted on both processes: the account-from-one-address limit trips whichever serves.
    // An unknown username is throttled exactly like a real one, and a fresh one per run keeps runs that
    // share a Redis from counting each other's failures.
    const user = `khong.co.${process.pid}.${Date.now().toString(36)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(i % 2 ? a.url : b.url, user, `wrong-password-${i}`)).status);
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.equal(statuses[5], 429, 'the sixth failure, on the other process, is throttled');
    for (const url of [a.url, b.url, lb.url]) {
      const r = await signIn(url, user, DEMO_STAFF_PASSWORD);
      assert.equal(r.status, 429, `throttled at ${url}`);
      assert.ok(Number(r.headers.get('retry-after')) > 0);
    }
  });
}
