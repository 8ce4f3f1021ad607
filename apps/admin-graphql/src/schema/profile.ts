import type { ServableProfile } from '@avtrz/db/queries/profiles.queries';
import { builder } from '../builder.ts';
import { findProfile, profileImageUrl, refreshProfile } from '../services/profiles.service.ts';
import { DateTime } from './date-time.ts';

const ProfileStatus = builder.enumType('ProfileStatus', {
  values: {
    PENDING: { value: 'pending', description: 'Being looked up.' },
    RESOLVED: { value: 'resolved', description: 'A photo is stored.' },
    NO_PHOTO: { value: 'no_photo', description: 'The profile has no public photo (checked again later).' },
    FAILED: { value: 'failed', description: 'The last look-up failed; it is retried with back-off.' },
  } as const,
});

const Profile = builder.objectRef<ServableProfile>('Profile').implement({
  description: 'A LinkedIn profile as the avatar endpoint serves it (shared by every workspace).',
  fields: (t) => ({
    username: t.exposeString('handle', { description: 'The canonical handle (decoded, NFC, lower-case).' }),
    status: t.field({ type: ProfileStatus, resolve: (p) => p.status }),
    imageUrl: t.string({
      nullable: true,
      description: 'CDN URL of the photo at this size (32, 64, 128, 256 or 512); null while there is none.',
      args: { size: t.arg.int({ defaultValue: 128 }) },
      resolve: (p, { size }, ctx) => profileImageUrl(ctx.config.publicCdnUrl, p, size ?? 128),
    }),
    resolvedAt: t.expose('resolvedAt', { type: DateTime, nullable: true }),
    checkedAt: t.expose('checkedAt', { type: DateTime, nullable: true }),
  }),
});

builder.queryField('profile', (t) =>
  t.field({
    type: Profile,
    nullable: true,
    description: 'A profile by handle, any case; null when nobody has requested it yet.',
    args: { username: t.arg.string({ required: true }) },
    resolve: (_root, { username }, ctx) => findProfile(ctx.db, username),
  }),
);

builder.mutationField('refreshProfile', (t) =>
  t.field({
    type: Profile,
    description: 'Queues a fresh look-up of the profile now and returns it as it stands.',
    args: { username: t.arg.string({ required: true }) },
    resolve: (_root, { username }, ctx) => refreshProfile(ctx.db, username),
  }),
);
