import { trafficHostsListedPerKey, trafficHostsPerKeyHour } from '@avtrz/db/queries/traffic.queries';
import { actingWorkspaceId } from '../auth/actor.ts';
import { builder } from '../builder.ts';
import {
  DEFAULT_TRAFFIC_DAYS,
  type KeyTrafficView,
  MAX_TRAFFIC_DAYS,
  type TrafficHost,
  trafficHosts,
} from '../services/traffic.service.ts';
import { ApiKey } from './api-key.ts';

const TrafficSource = builder.enumType('TrafficSource', {
  values: {
    HOST: { value: 'host', description: 'The host of the Origin header, or of the Referer when there is no Origin.' },
    NONE: { value: 'none', description: 'Neither Origin nor Referer was sent (servers, apps, no-referrer pages).' },
    UNREADABLE: { value: 'unreadable', description: 'A header naming no host: Origin: null, file: pages, garbage.' },
    OTHER: {
      value: 'other',
      description: `Hosts not counted by name (an hour keeps ${trafficHostsPerKeyHour} per key), and hosts past a key's ${trafficHostsListedPerKey} busiest.`,
    },
  } as const,
});

const TrafficHostType = builder.objectRef<TrafficHost>('TrafficHost').implement({
  description: 'Requests of one key from one source.',
  fields: (t) => ({
    source: t.field({ type: TrafficSource, resolve: (h) => h.source }),
    host: t.exposeString('host', {
      nullable: true,
      description: 'Lower-case ASCII host without port; null unless source is HOST.',
    }),
    requests: t.exposeInt('requests', { description: 'Every request of the key from there, answered or refused.' }),
    blocked: t.exposeInt('blocked', {
      description: 'Of those, refused with domain_blocked under the list of the time.',
    }),
    onList: t.exposeBoolean('onList', {
      nullable: true,
      description: "Whether the host matches the key's current allowed domains; null unless source is HOST.",
    }),
  }),
});

const KeyTraffic = builder.objectRef<KeyTrafficView>('KeyTraffic').implement({
  description: "Where one key's requests came from.",
  fields: (t) => ({
    apiKey: t.field({ type: ApiKey, resolve: (k) => k.key }),
    requests: t.exposeInt('requests'),
    blocked: t.exposeInt('blocked'),
    hosts: t.field({ type: [TrafficHostType], description: 'Busiest first.', resolve: (k) => k.hosts }),
  }),
});

builder.queryField('trafficHosts', (t) =>
  t.field({
    type: [KeyTraffic],
    description:
      'Per key (active keys, and revoked keys with traffic), the hosts its requests came from (Origin, else Referer).',
    args: {
      days: t.arg.int({
        defaultValue: DEFAULT_TRAFFIC_DAYS,
        description: `The last this many days (1–${MAX_TRAFFIC_DAYS}), the current hour included.`,
      }),
      keyId: t.arg.id({ description: 'Only this key.' }),
    },
    resolve: async (_root, args, ctx) =>
      trafficHosts(ctx.db, await actingWorkspaceId(ctx.db, ctx.actor), {
        days: args.days,
        keyId: args.keyId,
        now: ctx.now,
      }),
  }),
);
