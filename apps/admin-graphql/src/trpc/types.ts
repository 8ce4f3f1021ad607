// The only public surface of the console's router: its type, for the console's typed client.
export type { AppRouter } from './root.ts';
