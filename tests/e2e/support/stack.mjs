// The system under test: the fake Graph API, a chathost process configured against it, and an
// admin token, all in a fresh temporary directory. Options:
// - instagramLogin: the plugin gets an app_id and the fake's consent page and token endpoints, so
//   the dashboard offers "Connect with Instagram" (the fake still needs POST /_fake/oauth);
// - agentNetworks: agents may call endpoints on loopback (a test's own http agent);
// - messenger: the Messenger plugin is loaded too, against the same fake (see messengerBuilt()).

import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, startProcess } from './process.mjs';

export const kAccount = {
  token: 'EAAG-e2e-page-token',
  igId: '17841400000000001',
  pageId: '100000000000001',
  username: 'acme_shop',
};
/** A Facebook Page for Messenger, and a person's token that is not a Page's. */
export const kPage = { token: 'EAAG-e2e-messenger-page', pageId: '100000000000777', name: 'Acme Page' };
export const kPerson = { token: 'EAAG-e2e-person-token', userId: '200000000000001', name: 'Pat' };
export const kAppSecret = 'e2e-app-secret-0123456789';
export const kAppId = '1234567890';
export const kJwtSecret = 'e2e-jwt-secret-0123456789abcdef0123456789';

export function buildDir() {
  const dir = process.env.CHATHOST_BUILD_DIR;
  if (!dir)
    throw new Error('CHATHOST_BUILD_DIR is not set (the build directory with bin/chathost)');
  return dir;
}

/** Whether the Messenger plugin is built, so that startStack({messenger: true}) can load it. */
export function messengerBuilt() {
  return existsSync(join(buildDir(), 'lib/chathost/plugins/libchathost_messenger.so'));
}

export async function startStack({
  instagramLogin = false,
  agentNetworks = false,
  messenger = false,
} = {}) {
  const bin = join(buildDir(), 'bin');
  for (const exe of ['chathost', 'fake_graph'])
    if (!existsSync(join(bin, exe)))
      throw new Error(`${join(bin, exe)} is missing: build it first`);
  if (!existsSync(join(buildDir(), 'lib/chathost/plugins/libchathost_instagram.so')))
    throw new Error('the Instagram plugin is not built (target chathost_instagram)');
  if (!existsSync(join(buildDir(), 'share/chathost/web/index.html')))
    throw new Error('the dashboard is not built (cmake --build BUILD --target dashboard)');

  const dir = mkdtempSync(join(tmpdir(), 'chathost-e2e-'));
  const account = `${kAccount.token}:${kAccount.igId}:${kAccount.pageId}:${kAccount.username}`;
  const pages = messenger
    ? [
        '--page',
        `${kPage.token}:${kPage.pageId}:${kPage.name}`,
        '--user',
        `${kPerson.token}:${kPerson.userId}:${kPerson.name}`,
      ]
    : [];
  const fake = await startProcess(
    join(bin, 'fake_graph'),
    ['--port', '0', '--account', account, ...pages],
    { ready: /fake graph listening on (http:\/\/\S+)/ },
  );
  const fakeUrl = fake.match[1];

  const config = join(dir, 'chathost.yaml');
  writeFileSync(
    config,
    [
      'server:',
      '  listen: 127.0.0.1:0',
      'auth:',
      `  jwt_secret: ${kJwtSecret}`,
      'storage:',
      '  backend: sqlite',
      '  sqlite:',
      `    path: ${join(dir, 'chathost.db')}`,
      'secrets:',
      `  key_file: ${join(dir, 'secret.key')}`,
      `data_dir: ${join(dir, 'var')}`,
      ...(agentNetworks ? ['agents:', '  allow_networks: ["127.0.0.0/8"]'] : []),
      'plugins:',
      '  - name: instagram',
      '    config:',
      `      graph_base_url: ${fakeUrl}`,
      `      app_secret: ${kAppSecret}`,
      ...(instagramLogin
        ? [
            `      app_id: "${kAppId}"`,
            `      instagram_graph_base_url: ${fakeUrl}`,
            `      oauth_authorize_url: ${fakeUrl}/oauth/authorize`,
            `      oauth_token_url: ${fakeUrl}/oauth/access_token`,
          ]
        : []),
      ...(messenger
        ? [
            '  - name: messenger',
            '    config:',
            `      graph_base_url: ${fakeUrl}`,
            `      app_secret: ${kAppSecret}`,
          ]
        : []),
      '',
    ].join('\n'),
  );

  let host;
  try {
    host = await startProcess(join(bin, 'chathost'), ['--config', config], {
      ready: /listening on (http:\/\/[^\s"]+)/,
      cwd: dir,
    });
  } catch (error) {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const token = (
    await runCommand(join(bin, 'chathost'), ['token', '--config', config, '--subaccount', '*'])
  )
    .trim()
    .split('\n')
    .pop()
    .trim();

  return {
    baseUrl: host.match[1].replace(/\/$/, ''),
    fakeUrl,
    token,
    hostOutput: () => host.output(),
    async stop() {
      await host.stop();
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
