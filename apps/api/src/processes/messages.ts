/** What an API process tells the supervising process (node:cluster IPC). */
export interface FromWorker {
  readonly type: 'avtrz:api-listening';
  readonly url: string;
}

export function isFromWorker(message: unknown): message is FromWorker {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'avtrz:api-listening' &&
    typeof (message as { url?: unknown }).url === 'string'
  );
}

/** What the supervisor sends an API process to stop it cleanly. */
export const STOP_MESSAGE = { type: 'avtrz:api-stop' } as const;

export function isStopMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === STOP_MESSAGE.type;
}
