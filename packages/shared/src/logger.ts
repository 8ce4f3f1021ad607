import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** JSON logs for machines; readable lines when a person is watching a terminal. */
export function createLogger(options: { name: string; level?: string; pretty?: boolean }): Logger {
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  return pino({
    name: options.name,
    level: options.level ?? 'info',
    redact: { paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'key'], censor: '[redacted]' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}
