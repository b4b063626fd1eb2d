import { readCappedBody } from "@/lib/capped-body";
import { register } from "@/lib/clients/dcr";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { preflight, protocolEndpoint, protocolJson } from "@/lib/oauth/http";

export const dynamic = "force-dynamic";

/** RFC 7591 §3: Dynamic Client Registration (only while the owner has DCR on). */
export async function POST(request: Request): Promise<Response> {
  return protocolEndpoint({ cors: true }, async () => {
    const config = getConfig();
    const body = await readCappedBody(request, config.dcr.maxBodyBytes);
    const ctx = { prisma: await getPrisma(), config };
    return protocolJson(await register(ctx, { headers: request.headers, body }), { cors: true, status: 201 });
  });
}

export const OPTIONS = () => preflight("POST");
