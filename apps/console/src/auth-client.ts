import { createAuthClient } from 'better-auth/client';

/** Sign-in and sign-out go through the authentication library's own endpoints, on this origin. */
export const authClient = createAuthClient({ baseURL: window.location.origin, basePath: '/api/auth' });
