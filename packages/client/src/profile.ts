/** How a profile is named: a handle, a LinkedIn URL, or a string that is one of the two. */
export type ProfileRef = string | { readonly username: string } | { readonly linkedinUrl: string };

export type AvatarSize = 32 | 64 | 128 | 256 | 512;

/**
 * The query parameter naming the profile. A handle never holds `/`, `.` or `:`, so a string that does is
 * sent as `linkedin_url` (the API reads it the same way in batches).
 */
export function profileParameter(profile: ProfileRef): [name: 'username' | 'linkedin_url', value: string] {
  if (typeof profile === 'string') return /[/.:]/.test(profile) ? ['linkedin_url', profile] : ['username', profile];
  return 'username' in profile ? ['username', profile.username] : ['linkedin_url', profile.linkedinUrl];
}

export function avatarEndpoint(baseUrl: string | URL, path: string): URL {
  const base = new URL(baseUrl);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  base.search = '';
  base.hash = '';
  return base;
}
