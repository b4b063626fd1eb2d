import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { CORS_HEADERS, preflight, protocolEndpoint } from "@/lib/oauth/http";
import { readForm } from "@/lib/oauth/params";
import { revokeToken } from "@/lib/oauth/revoke";

export const dynamic = "force-dynamic";

/** RFC 7009: 200 with an empty body whether or not the token was known. */
export async function POST(request: Request): Promise<Response> {
  return protocolEndpoint(true, async () => {
    const form = await readForm(request);
    await revokeToken(await getPrisma(), getConfig().issuer, { authorization: request.headers.get("authorization"), form });
    return new Response(null, { status: 200, headers: { ...CORS_HEADERS, "Cache-Control": "no-store" } });
  });
}

export const OPTIONS = () => preflight("POST");
