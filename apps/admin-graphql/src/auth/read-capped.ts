/**
 * A request body as text, or undefined past `max` bytes: a chunked body has no Content-Length to check
 * up front, so the limit is applied while reading. A body a little over the limit is read to its end
 * (and dropped) so the client gets the 413 instead of a reset connection; past 4 × max reading stops.
 */
export async function readCappedText(request: Request, max: number): Promise<string | undefined> {
  if (Number(request.headers.get('content-length') ?? 0) > max) return undefined;
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > 4 * max) return undefined;
    if (size <= max) chunks.push(chunk);
  }
  return size > max ? undefined : Buffer.concat(chunks).toString('utf8');
}
