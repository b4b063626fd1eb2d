import { recordAudit } from "../audit";
import { uuidv7 } from "../crypto/uuid";
import { isSelfRegistration, type ClientType } from "../clients/policy";
import type { AuditEntry, InteractionClient, InteractionStore } from "../oauth/store";
import { grantableFor } from "../rbac/grantable";
import { prismaDeviceInteractions } from "./device-store";
import { mergeGrant } from "./merge-grant";
import { isUniqueViolation } from "./unique-violation";
import type { ConnectedApp, Prisma, PrismaClient } from "./generated/client.ts";

/**
 * The browser-facing protocol steps' storage (lib/oauth/store.ts,
 * InteractionStore) through Prisma: these are cold paths (a person clicks),
 * so the schema's client is fine here; the token path has its own statements
 * (oauth-store.ts).
 */
export function prismaInteractionStore(prisma: PrismaClient): InteractionStore {
  return {
    async interactionClient(clientId) {
      const app = await prisma.connectedApp.findUnique({ where: { clientId } });
      return app && toInteractionClient(app);
    },

    async interactionClientById(id) {
      const app = await prisma.connectedApp.findUnique({ where: { id } });
      return app && toInteractionClient(app);
    },

    async findUser(userId) {
      return prisma.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } });
    },

    async grantedScopes(userId, appId) {
      const grant = await prisma.grant.findUnique({ where: { userId_appId: { userId, appId } }, select: { scopes: true } });
      return grant?.scopes ?? null;
    },

    async scopeChoice(userId, scopes) {
      const split = await grantableFor(prisma, userId, scopes);
      return { grantable: split.grantable, ungrantable: split.ungrantable.map((u) => u.scope), descriptions: split.descriptions };
    },

    async savePendingRequest(request, limits) {
      const row = await prisma.authorizationRequest.create({
        data: {
          id: uuidv7(),
          appId: request.appId,
          params: request.params as Prisma.InputJsonValue,
          bindingHash: request.bindingHash,
          source: request.source,
          expiresAt: request.expiresAt,
        },
        select: { id: true },
      });
      // Ids are UUIDv7, so id order is age: walk the newest on an index and drop what lies beyond the bound.
      if (request.source !== null) {
        await prisma.$executeRaw`DELETE FROM authorization_requests WHERE id = ANY (ARRAY(
          SELECT id FROM authorization_requests WHERE source = ${request.source} ORDER BY id DESC OFFSET ${limits.perSource}))`;
      }
      await prisma.$executeRaw`DELETE FROM authorization_requests WHERE id = ANY (ARRAY(
        SELECT id FROM authorization_requests ORDER BY id DESC OFFSET ${limits.max}))`;
      return row.id;
    },

    async pendingRequest(id) {
      return prisma.authorizationRequest.findUnique({ where: { id } });
    },

    async pendingRequestAppName(id) {
      const row = await prisma.authorizationRequest.findUnique({ where: { id }, select: { app: { select: { name: true } } } });
      return row?.app.name ?? null;
    },

    async finishPendingRequest(id) {
      return (await prisma.authorizationRequest.deleteMany({ where: { id } })).count === 1;
    },

    async completeAuthorization({ pendingRequestId, grant, code }) {
      return prisma.$transaction(async (tx) => {
        if (pendingRequestId !== null && (await tx.authorizationRequest.deleteMany({ where: { id: pendingRequestId } })).count !== 1) return false;
        await mergeGrant(tx, grant.userId, grant.appId, grant.scopes);
        const { signIn, ...rest } = code;
        await tx.authorizationCode.create({ data: { ...rest, scopes: [...code.scopes], resources: [...code.resources], amr: signIn.amr, idp: signIn.idp } });
        return true;
      });
    },

    async recordAudit(entry) {
      await audit(prisma, entry);
    },

    async createSessionExchange(exchange, entry) {
      try {
        await prisma.$transaction(async (tx) => {
          await tx.sessionExchange.create({ data: exchange });
          await audit(tx, entry);
        });
        return true;
      } catch (e) {
        if (isUniqueViolation(e)) return false;
        throw e;
      }
    },

    async findSessionExchange(linkHash) {
      const found = await prisma.sessionExchange.findUnique({
        where: { linkHash },
        include: {
          user: { select: { id: true, email: true, name: true } },
          app: { select: { clientId: true, clientType: true, fullAccessAllowed: true, allowedScopes: true, status: true } },
        },
      });
      if (!found) return null;
      const { status, ...app } = found.app;
      return { id: found.id, redeemedAt: found.redeemedAt, linkExpiresAt: found.linkExpiresAt, user: found.user, app: { ...app, active: status === "active" } };
    },

    async redeemSessionExchange(id, now, entry) {
      return prisma.$transaction(async (tx) => {
        const won = await tx.sessionExchange.updateMany({ where: { id, redeemedAt: null, linkExpiresAt: { gt: now } }, data: { redeemedAt: now } });
        if (won.count !== 1) return false;
        await audit(tx, entry);
        return true;
      });
    },

    ...prismaDeviceInteractions(prisma),
  };
}

function toInteractionClient(app: ConnectedApp): InteractionClient {
  return {
    id: app.id,
    clientId: app.clientId,
    clientType: app.clientType as ClientType,
    active: app.status === "active",
    name: app.name,
    logoUri: app.logoUri,
    clientUri: app.clientUri,
    fromMetadataDocument: app.creationMethod === "cimd",
    selfRegistered: isSelfRegistration(app.creationMethod),
    redirectUris: app.redirectUris,
    postLogoutRedirectUris: app.postLogoutRedirectUris,
    allowedScopes: app.allowedScopes,
    fullAccessAllowed: app.fullAccessAllowed,
    deviceFlowEnabled: app.deviceFlowEnabled,
    skipConsent: app.skipConsent,
    bypassConsentForOfflineAccess: app.bypassConsentForOfflineAccess,
    requirePar: app.requirePar,
  };
}

function audit(db: PrismaClient | Prisma.TransactionClient, { actor, action, targetId, details }: AuditEntry) {
  return recordAudit(db, actor, action, targetId, details);
}
