import { upstreamCallbackResponse } from "@/lib/connections/upstream-responses";

export const dynamic = "force-dynamic";

/** The upstream identity provider's answer: the redirect URI owners register there. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  return upstreamCallbackResponse(request, (await params).slug);
}
