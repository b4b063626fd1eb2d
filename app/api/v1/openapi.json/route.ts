import { openApiDocument } from "@/lib/api/openapi";
import { json } from "@/lib/api/respond";
import { getConfig } from "@/lib/config";

export const dynamic = "force-dynamic";

/** `GET /api/v1/openapi.json`: the management API's OpenAPI 3.1 document (no authentication). */
export function GET() {
  return json(openApiDocument(getConfig().issuer));
}
