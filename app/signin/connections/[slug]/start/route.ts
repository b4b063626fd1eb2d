import { upstreamStartResponse } from "@/lib/connections/upstream-responses";

export const dynamic = "force-dynamic";

/** Sign in through a connection: off to the upstream identity provider (state, PKCE, nonce; a browser-binding cookie). */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  return upstreamStartResponse(request, (await params).slug);
}
