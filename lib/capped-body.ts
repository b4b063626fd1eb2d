/**
 * Reads a request body, stopping as soon as it exceeds `limit` bytes (a
 * chunked body has no Content-Length to check first), so an oversize body is
 * never held in memory. Returns null when it is too large.
 */
export async function readCappedBody(request: Request, limit: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
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
