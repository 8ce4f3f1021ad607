import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '@avtrz/api/server';
import { useTestDatabase } from '@avtrz/db/testing';
import type { RunningServer } from '@avtrz/shared/http/serve';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { asKey, createWorkspaceAsOperator, silentLogger, testConfig, useAdminServer } from './support/admin-server.ts';
import { type SetUpPerson, setUpFirstAccount, trpcMutate, trpcQuery } from './support/console-session.ts';

// CONTRACT §7, the Traffic page: requests reach the real API from several pages (allowed, blocked,
// none), and each key's hosts are read back through the console's tRPC router and through GraphQL.
const database = useTestDatabase();
const admin = useAdminServer(database);
let dataDir: string;
let api: RunningServer;
let owner: SetUpPerson;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'avtrz-traffic-'));
  // No worker runs: every admitted avatar is the 200 fallback, answered at once.
  const config = testConfig({ DATA_DIR: dataDir, RESOLVE_WAIT_MS: '0', USAGE_FLUSH_MS: '100' });
  api = await startApiServer({ config, database, logger: silentLogger() }, 0);
  owner = await setUpFirstAccount(admin, { workspaceName: 'Audited' });
});
afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface HostRow {
  source: string;
  host: string | null;
  other: boolean;
  requests: number;
  blocked: number;
  onList: boolean | null;
}
interface KeyTrafficRow {
  keyId: string;
  name: string | null;
  prefix: string;
  last4: string;
  allowedDomains: string[];
  requests: number;
  blocked: number;
  hosts: HostRow[];
}

const as = () => ({ cookie: owner.cookie });

async function createKey(type: 'publishable' | 'secret', name: string, allowedDomains: string[] = []) {
  const created = await trpcMutate<{ apiKey: { id: string }; key: string }>(
    admin,
    'apiKeys.create',
    { workspaceId: owner.workspaceId, type, name, allowedDomains },
    as(),
  );
  if (!created.data) throw new Error(created.text);
  return { id: created.data.apiKey.id, key: created.data.key };
}

async function avatar(key: string, headers: Record<string, string>, query = 'username=ada-lovelace'): Promise<number> {
  const response = await fetch(`${api.url}/v1/avatar?${query}&key=${key}`, {
    headers: { accept: 'application/json', ...headers },
  });
  await response.arrayBuffer();
  return response.status;
}

async function traffic(workspaceId = owner.workspaceId, days?: number) {
  return trafficQueryResult(await trpcQuery<KeyTrafficRow[]>(admin, 'traffic.hosts', { workspaceId, days }, as()));
}
function trafficQueryResult(result: { data: KeyTrafficRow[] | undefined; text: string }): KeyTrafficRow[] {
  if (!result.data) throw new Error(result.text);
  return result.data;
}

/** Waits until the key's requests read back add up to `requests` (counts are written every 100 ms). */
async function awaitRequests(keyId: string, requests: number): Promise<KeyTrafficRow> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = (await traffic()).find((k) => k.keyId === keyId);
    if (row?.requests === requests) return row;
    if (Date.now() > deadline) throw new Error(`traffic of ${keyId}: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The per-hour bound is tested inside one UTC hour: wait for the next one when this one is nearly over. */
async function awaitHourWithRoom(seconds: number): Promise<void> {
  const left = 3_600_000 - (Date.now() % 3_600_000);
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 50));
}

const TRAFFIC = /* GraphQL */ `
  query ($days: Int, $keyId: ID) {
    trafficHosts(days: $days, keyId: $keyId) {
      apiKey {
        id
        allowedDomains
      }
      requests
      blocked
      hosts {
        source
        host
        requests
        blocked
        onList
      }
    }
  }
`;

describe('traffic per key', () => {
  let site: { id: string; key: string };
  let server: { id: string; key: string };

  test('each key lists the hosts its requests came from, allowed and blocked, with counts, busiest first', async () => {
    site = await createKey('publishable', 'Site', ['example.com', '*.shop.example']);
    server = await createKey('secret', 'Server');
    const sent: [string, Record<string, string>, number, string?][] = [
      [site.key, { origin: 'https://example.com' }, 200],
      [site.key, { origin: 'https://example.com' }, 200],
      [site.key, { origin: 'https://example.com' }, 200],
      // Refused for its parameters, still a request from that page.
      [site.key, { origin: 'https://example.com' }, 400, 'username=ada-lovelace&size=3'],
      [site.key, { referer: 'https://a.shop.example/cart?x=1' }, 200],
      [site.key, { referer: 'https://A.Shop.Example:8443/' }, 200],
      [site.key, { origin: 'https://evil.example' }, 401],
      [site.key, { referer: 'http://evil.example:8080/leak' }, 401],
      [site.key, { referer: 'https://bücher.de/' }, 401],
      [site.key, {}, 401],
      [site.key, { origin: 'null' }, 401],
      [server.key, {}, 200],
      [server.key, {}, 200],
      [server.key, { origin: 'https://partner.example' }, 200],
    ];
    for (const [key, headers, status, query] of sent) expect(await avatar(key, headers, query)).toBe(status);

    const siteTraffic = await awaitRequests(site.id, 11);
    expect(siteTraffic).toMatchObject({
      name: 'Site',
      allowedDomains: ['example.com', '*.shop.example'],
      requests: 11,
      blocked: 5,
    });
    expect(siteTraffic.prefix).toMatch(/^pk_live_/);
    expect(site.key.endsWith(siteTraffic.last4)).toBe(true);
    const row = (source: string, host: string | null, requests: number, blocked: number, onList: boolean | null) => ({
      source,
      host,
      other: false,
      requests,
      blocked,
      onList,
    });
    expect(siteTraffic.hosts).toEqual([
      row('host', 'example.com', 4, 0, true),
      row('host', 'a.shop.example', 2, 0, true),
      row('host', 'evil.example', 2, 2, false),
      row('none', null, 1, 1, null),
      row('unreadable', null, 1, 1, null),
      row('host', 'xn--bcher-kva.de', 1, 1, false),
    ]);
    const serverTraffic = await awaitRequests(server.id, 3);
    expect(serverTraffic.hosts).toEqual([row('none', null, 2, 0, null), row('host', 'partner.example', 1, 0, false)]);

    // GraphQL, with the workspace's secret key, reads the same.
    const graphql = await admin.graphql<{ trafficHosts: { apiKey: { id: string }; hosts: unknown[] }[] }>(
      TRAFFIC,
      { keyId: site.id },
      asKey(server.key),
    );
    expect(graphql.errors).toBeUndefined();
    expect(graphql.data!.trafficHosts).toHaveLength(1);
    expect(graphql.data!.trafficHosts[0]).toMatchObject({ apiKey: { id: site.id }, requests: 11, blocked: 5 });
    expect(graphql.data!.trafficHosts[0]!.hosts).toEqual(
      siteTraffic.hosts.map(({ other: _other, ...h }) => ({ ...h, source: h.source.toUpperCase() })),
    );
  });

  test('on-list is decided against the current allow-list; what was blocked stays as it was', async () => {
    const updated = await trpcMutate(
      admin,
      'apiKeys.update',
      { workspaceId: owner.workspaceId, id: site.id, allowedDomains: ['evil.example', '*.shop.example'] },
      as(),
    );
    expect(updated.status).toBe(200);
    const hosts = (await traffic()).find((k) => k.keyId === site.id)!.hosts;
    const pick = (host: string) => hosts.find((h) => h.host === host);
    expect(pick('evil.example')).toMatchObject({ requests: 2, blocked: 2, onList: true });
    expect(pick('example.com')).toMatchObject({ requests: 4, blocked: 0, onList: false });
    expect(pick('a.shop.example')).toMatchObject({ onList: true });
  });

  test('an hour keeps 20 hosts by name per key; the rest count under "other"', async () => {
    await awaitHourWithRoom(20);
    const sprayed = await createKey('publishable', 'Leaked');
    const names = Array.from({ length: 23 }, (_, i) => `h${String(i).padStart(2, '0')}.leak.example`);
    for (const name of names) expect(await avatar(sprayed.key, { referer: `https://${name}/page` })).toBe(200);
    expect(await avatar(sprayed.key, { referer: `https://${names[22]}/again` })).toBe(200);
    const row = await awaitRequests(sprayed.id, 24);
    // Which hosts get the places depends on how the requests fall into batches (the busiest of a batch
    // first); how many, and that every request is counted once, does not.
    const named = row.hosts.filter((h) => h.source === 'host');
    expect(named).toHaveLength(20);
    for (const host of named) expect(names).toContain(host.host);
    const other = row.hosts.filter((h) => h.other);
    expect(other).toEqual([
      { source: 'other', host: null, other: true, requests: expect.any(Number), blocked: 0, onList: null },
    ]);
    expect(other[0]!.requests).toBeGreaterThanOrEqual(3);
    expect(named.reduce((sum, h) => sum + h.requests, other[0]!.requests)).toBe(24);

    // A revoked key stays listed while it has traffic in the window; one without traffic does not.
    const unused = await createKey('secret', 'Unused');
    for (const id of [sprayed.id, unused.id]) {
      await trpcMutate(admin, 'apiKeys.revoke', { workspaceId: owner.workspaceId, id }, as());
    }
    const keys = (await traffic()).map((k) => k.keyId);
    expect(keys).toContain(sprayed.id);
    expect(keys).not.toContain(unused.id);
  });

  test('days is checked: 1 to 31', async () => {
    const result = await trpcQuery(admin, 'traffic.hosts', { workspaceId: owner.workspaceId, days: 0 }, as());
    expect([result.status, result.error?.data.avtrzCode]).toEqual([400, 'invalid_input']);
    expect(result.error?.message).toMatch(/^days: /);
    const graphql = await admin.graphql(TRAFFIC, { days: 32 }, asKey(server.key));
    expect(graphql.code).toBe('BAD_USER_INPUT');
    expect((await traffic(owner.workspaceId, 31)).find((k) => k.keyId === site.id)?.requests).toBe(11);
  });
});

describe('isolation', () => {
  test("a workspace cannot read another's traffic", async () => {
    const other = await createWorkspaceAsOperator(admin, 'Elsewhere');
    expect(await avatar(other.key, { origin: 'https://elsewhere.example' })).toBe(200);
    const ours = await traffic();
    const ourSite = ours.find((k) => k.name === 'Site')!;

    // The other workspace's key sees only its own key and hosts, and our key is "not found" to it.
    const deadline = Date.now() + 10_000;
    let theirs: { apiKey: { id: string }; hosts: { host: string | null }[] }[] = [];
    while (Date.now() < deadline) {
      const result = await admin.graphql<{ trafficHosts: typeof theirs }>(TRAFFIC, {}, asKey(other.key));
      theirs = result.data!.trafficHosts;
      if (theirs[0]?.hosts.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(theirs.map((k) => k.apiKey.id)).toEqual([other.keyId]);
    expect(theirs[0]!.hosts.map((h) => h.host)).toEqual(['elsewhere.example']);
    const foreignKey = await admin.graphql(TRAFFIC, { keyId: ourSite.keyId }, asKey(other.key));
    expect([foreignKey.code, foreignKey.data]).toEqual(['NOT_FOUND', null]);

    // Our person is no member there: NOT_FOUND, as for a workspace that does not exist.
    const denied = await trpcQuery(admin, 'traffic.hosts', { workspaceId: other.workspaceId }, as());
    expect(denied.status).toBe(404);
    expect(denied.text).not.toContain('elsewhere.example');
    expect((await traffic()).some((k) => k.keyId === other.keyId)).toBe(false);
  });
});
