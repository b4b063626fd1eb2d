/**
 * Reads a request (or response) body, stopping as soon as it exceeds `limit` bytes (a
 * chunked body has no Content-Length to check first), so an oversize body is
 * never held in memory. Returns null when it is too large.
 */
export async function readCappedBody(message: Pick<Request | Response, "body">, limit: number): Promise<Buffer | null> {
  if (!message.body) return Buffer.alloc(0);
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
