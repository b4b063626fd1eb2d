import { managementRoute } from "@/lib/api/handler";
import { usersPage } from "@/lib/api/rbac";
import { json } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** `GET /api/v1/users?q=&cursor=&limit=`: one page of users with their roles, oldest first. */
export const GET = managementRoute(async ({ url, prisma }) => json(await usersPage(prisma, url.searchParams)));
