import { preflight } from "@/lib/oauth/http";
import { discoveryResponse } from "@/lib/oauth/well-known";

export const dynamic = "force-dynamic";

export const GET = discoveryResponse;

export const OPTIONS = () => preflight("GET");
