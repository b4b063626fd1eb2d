import type { ActivityRow } from "../activity/counter";
import type { Actor } from "../audit";
import type { AccessTokenAlg } from "../settings";
import type { ClientType, TokenEndpointAuthMethod } from "../clients/policy";
import type { ClientJwks } from "../clients/client-jwks";
import type { PendingRequestLimits } from "./authorize/pending-limits";

/**
 * What the protocol core needs from storage: its own record types and a few
 * verbs, most of them one statement. lib/oauth depends on this module only,
 * never on the database client; lib/db/oauth-store is the SQL implementation
 * (PostgreSQL and the embedded PGlite speak the same SQL).
 *
 * Secrets, codes and refresh tokens cross this boundary only as hashes.
 * Single use and replay detection are decided by the database (conditional
 * updates), so they hold across any number of server processes; each verb
 * says what is atomic and what the loser of a race gets.
 */

/** A registered client as the token path sees it. */
export interface OAuthClient {
  /** Internal id (rows refer to it). */
  id: string;
  clientId: string;
  clientType: ClientType;
  active: boolean;
  /** Hashes of the current (and, during a rotation, the next) client secret. */
  secretHashes: readonly string[];
  /** The registered method: which kind of credential (secret, key, none) it must present. */
  authMethod: TokenEndpointAuthMethod;
  /** private_key_jwt: its public keys, or where to fetch them (one of the two). */
  jwks: ClientJwks | null;
  jwksUri: string | null;
  allowedScopes: readonly string[];
  fullAccessAllowed: boolean;
  /** The owner enabled the device authorization grant (RFC 8628) for it. */
  deviceFlowEnabled: boolean;
  accessTokenTtlSeconds: number;
  idTokenSignedResponseAlg: string;
  /** Token requests must carry a DPoP proof (RFC 9449), with this server's nonce. */
  requireDpop: boolean;
  /** A machine client's grants: the resource servers it may get tokens for, and the scopes of each (empty for connected apps). */
  clientGrants: readonly ClientGrant[];
}

/** An owner's authorization of a machine client for one resource server and some of its scopes. */
export interface ClientGrant {
  resource: string;
  scopes: readonly string[];
}

/** The user claims tokens and UserInfo may carry. */
export interface UserRecord {
  id: string;
  email: string;
  name: string | null;
}

/**
 * How the user signed in, carried from the session into the code and the
 * token family: the ID token's `amr` (RFC 8176: "pwd", "fed") and `idp`
 * ("email", or a connection's slug). Empty and null when not known (a
 * session from before they were recorded, a session exchange).
 */
export interface SignInMethod {
  amr: string[];
  idp: string | null;
}

/** An authorization code as stored (the code itself only as its hash). */
export interface CodeRecord {
  appId: string;
  userId: string;
  redirectUri: string;
  /** Whether the authorization request named redirect_uri (the token request must then repeat it). */
  redirectUriSent: boolean;
  scopes: string[];
  resources: string[];
  nonce: string | null;
  codeChallenge: string | null;
  /** RFC 9449 §10: the DPoP key thumbprint the request named; redemption needs a proof with that key. */
  dpopJkt: string | null;
  authTime: Date;
  signIn: SignInMethod;
  expiresAt: Date;
  redeemedAt: Date | null;
  /** The token family its redemption started. */
  familyId: string | null;
}

/** A code to store: what it was issued for, and only its hash. */
export interface NewCode extends Omit<CodeRecord, "redeemedAt" | "familyId" | "dpopJkt"> {
  codeHash: string;
  /** RFC 9449 §10: the DPoP key thumbprint the request named (none: not bound). */
  dpopJkt?: string | null;
}

export interface RedeemCodeInput {
  codeHash: string;
  /** The client redeeming it: another client's code is not spent. */
  appId: string;
  /** redirect_uri of the token request. */
  redirectUri: string | undefined;
  /** S256 of the presented code_verifier, null when none was sent. */
  codeChallenge: string | null;
  /** Thumbprint of the request's DPoP proof key (none: no proof): a code bound to a key is spent only with it. */
  dpopJkt?: string | null;
  /** Id of the token family the redemption starts. */
  familyId: string;
  /** The key the family's refresh tokens are bound to (a public client's proof key), if any. */
  familyDpopJkt?: string | null;
  /** A refresh token for the family, stored only if the code's scopes hold offline_access. */
  refreshToken: { id: string; hash: string; expiresAt: Date } | null;
  /** When a family without a refresh token ends (no access token of it can outlive this). */
  familyExpiresAt: Date;
  now: Date;
}

export type CodeRedemption =
  /** The code was spent by this call, its family started (and its refresh token stored, if `refreshTokenStored`). */
  | { won: true; code: CodeRecord; refreshTokenStored: boolean; user: UserRecord | null }
  /**
   * Nothing was written. `code` is the code as it was when the call began
   * (null: no such code). If it shows an unspent code that passes every
   * check, a concurrent redemption won the race: see `familyOfCode`.
   */
  | { won: false; code: CodeRecord | null };

/** A refresh token with its family, as stored. */
export interface RefreshRecord {
  familyId: string;
  appId: string;
  clientId: string;
  userId: string;
  scopes: string[];
  resources: string[];
  authTime: Date;
  signIn: SignInMethod;
  familyRevoked: boolean;
  /** RFC 9449 §5: the DPoP key its family's refresh tokens are bound to (public clients), or null. */
  dpopJkt: string | null;
  expiresAt: Date;
  rotatedAt: Date | null;
  /** When a spent token's one presentation within the reuse interval was used up (or it was superseded by one). */
  reusedAt: Date | null;
  /** The app's refresh-token reuse interval, in seconds. */
  reuseSeconds: number;
  createdAt: Date;
}

export interface UseRefreshTokenInput {
  tokenHash: string;
  /** The client using it: another client's token is not touched. */
  appId: string;
  /** Scopes the request asks for: the family must hold every one (a wider request touches nothing). */
  requiredScopes: string[];
  /** Thumbprint of the request's DPoP proof key (none: no proof): a token bound to a key is used only with it. */
  dpopJkt?: string | null;
  /**
   * `slide`: the token stays and its expiry moves to `expiresAt`
   * (confidential clients). `rotate`: the token is spent and `next` takes
   * its place (public clients).
   */
  mode: { kind: "slide"; expiresAt: Date } | { kind: "rotate"; next: { id: string; hash: string; expiresAt: Date } };
  now: Date;
}

export type RefreshUse =
  /** Used: slid, or spent with `next` stored in its family. */
  | { used: true; token: RefreshRecord; user: UserRecord | null }
  /**
   * Nothing was written. `token` is as it was when the call began (null: no
   * such token). If it passes every check, the token expired meanwhile
   * (slide) or a concurrent use spent it first (rotate: a replay).
   */
  | { used: false; token: RefreshRecord | null };

/** A device authorization (RFC 8628) as stored; its device and user codes only as hashes. */
export interface DeviceAuthorizationRecord {
  id: string;
  appId: string;
  /** What the device asked for. */
  scopes: string[];
  resources: string[];
  /** Seconds the device must wait between polls (grows with each slow_down). */
  intervalSeconds: number;
  /** Null while pending. */
  decision: "approved" | "denied" | null;
  /** Set with the decision: who decided, the scopes they could grant, how they had signed in. */
  userId: string | null;
  grantedScopes: string[];
  authTime: Date | null;
  signIn: SignInMethod;
  createdAt: Date;
  expiresAt: Date;
  redeemedAt: Date | null;
}

/** A new device authorization: its codes only as hashes. */
export interface NewDeviceAuthorization {
  id: string;
  deviceCodeHash: string;
  userCodeHash: string;
  appId: string;
  scopes: string[];
  resources: string[];
  intervalSeconds: number;
  createdAt: Date;
  expiresAt: Date;
}

export interface PollDeviceCodeInput {
  deviceCodeHash: string;
  /** The client polling: another client's device code is not touched. */
  appId: string;
  /** Id of the token family an approved authorization starts. */
  familyId: string;
  /** Stored only if the granted scopes hold offline_access. */
  refreshToken: { id: string; hash: string; expiresAt: Date } | null;
  familyExpiresAt: Date;
  /** The key the family's refresh tokens are bound to (a public client's proof key), if any. */
  familyDpopJkt?: string | null;
  now: Date;
}

export type DevicePoll =
  /** Approved, and spent by this call: its family started (with its refresh token, if `refreshTokenStored`). */
  | { kind: "issued"; authorization: DeviceAuthorizationRecord; refreshTokenStored: boolean; user: UserRecord | null }
  /** Still pending: the poll was recorded; `tooFast` when it came before the interval had passed (the interval grew by 5 s). */
  | { kind: "pending"; authorization: DeviceAuthorizationRecord; tooFast: boolean }
  /**
   * Nothing was written. `authorization` is as it was when the call began
   * (null: no such device code). An approved, unspent, unexpired one was
   * spent by a concurrent poll.
   */
  | { kind: "untouched"; authorization: DeviceAuthorizationRecord | null };

/** A user's decision on a device authorization (the /device page). */
export interface DeviceDecision {
  id: string;
  decision: "approved" | "denied";
  userId: string;
  /** Approved: what the user can grant of what was asked (merged into their grant to the app). */
  grantedScopes: readonly string[];
  authTime: Date;
  signIn: SignInMethod;
  now: Date;
}

/** A fixed-window count in the database (lib/rate-limit.ts): whether this hit, or the next (peek), is within the limit. */
export interface RateLimitCheck {
  key: string;
  limit: number;
  windowSeconds: number;
  now: Date;
}

/** What revocation says about an access token (by its family and jti). */
export interface AccessTokenStatus {
  /** Its family was revoked or no longer exists, or the token itself was revoked. */
  revoked: boolean;
  /** The user, when asked for (UserInfo); null if they no longer exist. */
  user: UserRecord | null;
}

export interface SigningKeyRecord {
  kid: string;
  alg: string;
  status: "active" | "retired";
  publicJwk: Record<string, unknown>;
  /** Sealed with a key derived from the server secret (lib/crypto/seal). */
  privateJwkSealed: string;
  createdAt: Date;
  publishUntil: Date | null;
}

export type PurgedKind =
  | "authorization_requests"
  | "authorization_codes"
  | "revoked_access_tokens"
  | "refresh_tokens"
  | "token_families"
  | "session_exchanges"
  | "client_assertions"
  | "dpop_proofs"
  | "upstream_logins"
  | "device_authorizations"
  | "pushed_authorization_requests"
  | "activity_counts";

export interface PurgeCutoffs {
  /** Pending requests, revoked-token entries and families without a refresh token that expired before this go. */
  now: Date;
  /** Codes expired before this go (kept a while after expiry, so a late reuse is still recognised). */
  codesBefore: Date;
  /**
   * Refresh tokens expired before this go, and with them each family left
   * with no unexpired token: no access token it issued can still be alive.
   */
  refreshBefore: Date;
  /** Session exchanges made before this go: no access token is old enough to be exchanged again. */
  exchangesBefore: Date;
  /** Activity counts of hours before this go (the app's and the project's). */
  activityBefore: Date;
}

/** What changed in the database: the caches of these reads must go. */
export type ChangeTopic = "clients" | "settings" | "keys";
export const CHANGE_TOPICS: readonly ChangeTopic[] = ["clients", "settings", "keys"];

/** Announcements of changes made by any instance (lib/db/change-feed.ts). */
export interface ChangeFeed {
  /** Calls `listener` for each change, and for every topic when the feed (re)connects (anything may have changed meanwhile). */
  subscribe(listener: (topic: ChangeTopic) => void): void;
  /** Whether announcements are arriving now; while they are not, nothing may be cached. */
  live(): boolean;
}

/** A client as the browser-facing endpoints see it: authorization, consent, sign-out. */
export interface InteractionClient {
  id: string;
  clientId: string;
  clientType: ClientType;
  active: boolean;
  name: string;
  logoUri: string | null;
  clientUri: string | null;
  /** Registered through a Client ID Metadata Document: its client_id is the document's URL. */
  fromMetadataDocument: boolean;
  /** Registered by its developer (DCR or a metadata document), not the owner: its name and logo are its own claim. */
  selfRegistered: boolean;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  allowedScopes: readonly string[];
  fullAccessAllowed: boolean;
  deviceFlowEnabled: boolean;
  skipConsent: boolean;
  bypassConsentForOfflineAccess: boolean;
  /** Its authorization requests must be pushed first (RFC 9126 §5). */
  requirePar: boolean;
}

/** An authorization request waiting for sign-in or consent (its binding secret only as a hash). */
export interface PendingRequestRecord {
  id: string;
  appId: string;
  /** As saved; the caller validates it again (the row outlives code changes). */
  params: unknown;
  bindingHash: string;
  /** Who asked (the trusted source address), or null when not known. */
  source: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Which scopes of a request a user can grant (custom scopes need the permissions they map to). */
export interface ScopeChoice {
  grantable: string[];
  /** Requested scopes the user cannot grant. */
  ungrantable: string[];
  /** Owner-written descriptions of the custom scopes among them. */
  descriptions: ReadonlyMap<string, string>;
}

/** One audit-log event (lib/audit.ts). `details` never holds a secret. */
export interface AuditEntry {
  actor: Actor;
  action: string;
  targetId: string | null;
  details: Record<string, string | number | boolean | null>;
}

/** A session exchange (an app's access token traded for a one-time sign-in link, stored as its hash). */
export interface SessionExchangeRecord {
  id: string;
  redeemedAt: Date | null;
  linkExpiresAt: Date;
  user: UserRecord;
  app: Pick<OAuthClient, "clientId" | "clientType" | "fullAccessAllowed" | "allowedScopes" | "active">;
}

/**
 * The storage of the browser-facing protocol steps (authorization, consent,
 * sign-out, session exchange): cold paths, one or two statements each.
 */
export interface InteractionStore {
  /** A client by client_id with what the pages show and check, or null. */
  interactionClient(clientId: string): Promise<InteractionClient | null>;
  /** The same by internal id (a pending request's app). */
  interactionClientById(id: string): Promise<InteractionClient | null>;
  /** A user, or null (deleted since they signed in). */
  findUser(userId: string): Promise<UserRecord | null>;
  /** The scopes a user has granted an app so far, or null when never. */
  grantedScopes(userId: string, appId: string): Promise<string[] | null>;
  /** Of `scopes`, which the user can grant, which not, and the custom ones' descriptions. */
  scopeChoice(userId: string, scopes: readonly string[]): Promise<ScopeChoice>;

  /**
   * Stores a pending request and returns its id; then removes the oldest
   * pending requests beyond `limits` (its source's beyond `perSource`, when
   * the source is known; everyone's beyond `max`). The new one is the newest.
   */
  savePendingRequest(request: Omit<PendingRequestRecord, "id" | "createdAt">, limits: PendingRequestLimits): Promise<string>;
  /** A pending request by id, expired or not (the caller checks expiry and binding). */
  pendingRequest(id: string): Promise<PendingRequestRecord | null>;
  /** The name of a pending request's app (the sign-in page's "continue to …"). */
  pendingRequestAppName(id: string): Promise<string | null>;
  /** Ends a pending request; false when it had already ended (a double submit loses). */
  finishPendingRequest(id: string): Promise<boolean>;
  /**
   * Completes an authorization in one transaction: ends the pending request
   * (when there is one; false and nothing written if it had already ended),
   * merges `grant.scopes` into the user's grant to the app, and stores the code.
   */
  completeAuthorization(input: { pendingRequestId: string | null; grant: { userId: string; appId: string; scopes: readonly string[] }; code: NewCode }): Promise<boolean>;

  /** Appends to the audit log. */
  recordAudit(entry: AuditEntry): Promise<void>;
  /**
   * Stores a session exchange and its audit entry in one transaction; false
   * when this access token (its jti) was exchanged already (a unique
   * constraint decides, across instances).
   */
  createSessionExchange(
    exchange: { id: string; jti: string; appId: string; userId: string; linkHash: string; linkExpiresAt: Date },
    audit: AuditEntry,
  ): Promise<boolean>;
  /** A session exchange by the hash of its sign-in link, with its user and app. */
  findSessionExchange(linkHash: string): Promise<SessionExchangeRecord | null>;
  /**
   * Spends a sign-in link: a conditional update (unspent and unexpired at
   * `now`) with its audit entry; of concurrent redemptions exactly one gets true.
   */
  redeemSessionExchange(id: string, now: Date, audit: AuditEntry): Promise<boolean>;

  /** A device authorization by the keyed hash of its user code, or null. */
  deviceAuthorizationByUserCode(userCodeHash: string): Promise<DeviceAuthorizationRecord | null>;
  /** A device authorization by id, or null. */
  deviceAuthorization(id: string): Promise<DeviceAuthorizationRecord | null>;
  /**
   * Records a user's decision: a conditional update (still pending and
   * unexpired at `now`), and on approval the merge of the granted scopes
   * into the user's grant to the app, in one transaction. False, nothing
   * written, when it was already decided or has expired.
   */
  decideDeviceAuthorization(decision: DeviceDecision): Promise<boolean>;
  /** Counts a hit of a rate limit (one upsert); whether it is within the limit. */
  hitRateLimit(check: RateLimitCheck): Promise<boolean>;
  /** Whether one more hit would be within the limit, without counting it. */
  peekRateLimit(check: RateLimitCheck): Promise<boolean>;
}

/** A pushed authorization request to store (RFC 9126): its request_uri only as a hash. */
export interface NewPushedRequest {
  requestUriHash: string;
  appId: string;
  /** The validated parameters; the caller validates them again when they are used (the row outlives code changes). */
  params: unknown;
  /** DPoP (RFC 9449 §10): the key thumbprint its code is to be bound to, if any (also in `params`). */
  dpopJkt?: string | null;
  /** Who pushed it (the trusted source address), or null when not known. */
  source: string | null;
  expiresAt: Date;
}

/** What a used pushed request gives back. */
export interface UsedPushedRequest {
  /** The app that pushed it (internal id). */
  appId: string;
  params: unknown;
  /** DPoP (RFC 9449 §10): the key thumbprint its code is to be bound to, if any. */
  dpopJkt: string | null;
}

/**
 * Pushed authorization requests (RFC 9126): stored by the PAR endpoint,
 * spent by the authorization endpoint.
 */
export interface PushedRequestStore {
  /**
   * Stores a pushed request; then removes the oldest pushed requests beyond
   * `limits` (its source's beyond `perSource`, when known; everyone's beyond `max`).
   */
  savePushedRequest(request: NewPushedRequest, limits: PendingRequestLimits): Promise<void>;
  /**
   * Spends a pushed request: one conditional update that marks it used only
   * if it exists, belongs to the app of `clientId`, is unused and unexpired
   * at `now`. Of concurrent uses on any instances exactly one gets it; every
   * other call, and any unknown, expired, used or other app's request, gets null.
   */
  usePushedRequest(requestUriHash: string, clientId: string, now: Date): Promise<UsedPushedRequest | null>;
}

/**
 * Who sent a request, as far as limits go: its address as a trusted proxy
 * names it (lib/rate-limit.ts trustedSource: the last X-Forwarded-For entry
 * behind TRUST_PROXY), or null when it cannot be told (then limits that
 * need a source use the one bucket everyone shares).
 */
export interface Requester {
  source: string | null;
}

export interface OAuthStore extends InteractionStore, PushedRequestStore {
  /** The client with this client_id and its secret hashes; one read. */
  findClient(clientId: string): Promise<OAuthClient | null>;
  /**
   * Makes sure the app of a URL client_id (Client ID Metadata Document) is
   * stored and fresh, fetching the document if needed. Throws the CIMD error
   * that says why a document cannot be used. A new app counts against the
   * requester's limit; without a requester, against the bucket everyone shares.
   */
  refreshMetadataClient(clientId: string, requester?: Requester): Promise<void>;

  /** Stores an authorization code (already checked and consented). */
  insertCode(code: NewCode): Promise<void>;
  /**
   * Redeems a code: one statement that spends it only if it exists, belongs
   * to `appId`, is unspent, unexpired, and matches the redirect URI and PKCE
   * challenge, and in the same statement starts its token family (and
   * stores its refresh token). Of concurrent redemptions exactly one wins.
   */
  redeemCode(input: RedeemCodeInput): Promise<CodeRedemption>;
  /** A code as stored, or null (no write). */
  findCode(codeHash: string): Promise<CodeRecord | null>;
  /** The family a spent code started (the winner's, after a lost race). */
  familyOfCode(codeHash: string): Promise<string | null>;

  /**
   * Uses a refresh token: one statement that slides or rotates it only if it
   * exists, belongs to `appId`, its family is not revoked, it is unexpired
   * and unspent, and its family holds `requiredScopes`. Of concurrent
   * rotations of one token exactly one wins.
   */
  useRefreshToken(input: UseRefreshTokenInput): Promise<RefreshUse>;
  /** A refresh token with its family and client (introspection, revocation). */
  findRefreshToken(tokenHash: string): Promise<RefreshRecord | null>;

  /**
   * Records a client assertion's jti (as `jtiHash`, client and jti together)
   * until `expiresAt`: true the first time, false for a replay. An insert
   * the primary key decides, so of concurrent uses on any instances
   * exactly one gets true.
   */
  useClientAssertion(jtiHash: string, expiresAt: Date): Promise<boolean>;
  /**
   * Records a DPoP proof's jti (as `jtiHash`, with its key's thumbprint)
   * until `expiresAt`: true the first time, false for a replay. One insert
   * the primary key decides, on every instance.
   */
  useDpopProof(jtiHash: string, expiresAt: Date): Promise<boolean>;
  /**
   * Records that a client authenticated at `at` with `method` (the owner's
   * pages show it). An upsert that keeps the later time, so writes from
   * several instances in any order leave the latest; nothing for a deleted app.
   */
  recordClientAuthentication(appId: string, method: TokenEndpointAuthMethod, at: Date): Promise<void>;
  /**
   * Adds activity counts (lib/activity/counter.ts) to the app's and the
   * project's hourly rows in one statement: an upsert that adds, so flushes
   * of several instances sum. Rows of a deleted app count for the project only.
   */
  addActivity(rows: readonly ActivityRow[]): Promise<void>;

  /**
   * Stores a device authorization; false, nothing written, when its user
   * code's hash is taken (the caller draws another code).
   */
  insertDeviceAuthorization(authorization: NewDeviceAuthorization): Promise<boolean>;
  /**
   * A device's poll (RFC 8628 §3.4), one statement: spends the device code
   * only if it exists, belongs to `appId`, is approved, unspent and
   * unexpired, starting its token family in the same statement (of
   * concurrent polls exactly one wins); records a poll of a pending one,
   * growing its interval by 5 s when it came too soon (the row decides, so
   * the interval holds across instances); else touches nothing.
   */
  pollDeviceCode(input: PollDeviceCodeInput): Promise<DevicePoll>;

  /** Revokes a token family (idempotent): its refresh tokens stop working, its access tokens introspect as inactive. */
  revokeFamily(familyId: string, now: Date): Promise<void>;
  /** Revokes one access token until it would have expired (idempotent). */
  revokeAccessToken(jti: string, expiresAt: Date): Promise<void>;
  /** Whether a machine client's access token is revoked: its client deleted, disabled, or the token itself revoked (one read). */
  machineTokenRevoked(appId: string, jti: string): Promise<boolean>;
  /** Whether an access token is revoked (one indexed read), with its user when `userId` is given. */
  accessTokenStatus(familyId: string, jti: string, userId?: string): Promise<AccessTokenStatus>;

  /** Of `scopes`, those the user may still be granted: built-in ones, and custom ones whose permissions they hold. */
  grantableScopes(userId: string, scopes: readonly string[]): Promise<string[]>;
  /** Whether a presented owner API key is valid (not revoked, its owner still an owner). */
  ownerApiKeyValid(key: string): Promise<boolean>;
  /** The project's resource servers (RFC 8707 resource indicators it accepts). */
  resourceServers(): Promise<string[]>;
  /** Whether self-registration is on (discovery). */
  registrationSettings(): Promise<{ dcrEnabled: boolean; cimdEnabled: boolean }>;
  /** The algorithm new access tokens are signed with (an owner's setting). */
  accessTokenAlg(): Promise<AccessTokenAlg>;
  /** Whether the project requires every authorization request to be pushed first (its `require_par` setting, RFC 9126 §5). */
  pushedRequestsRequired(): Promise<boolean>;

  /**
   * Deletes at most `limit` rows of each kind that nothing can use any more
   * (housekeeping.ts says which), each kind one statement; returns how many
   * of each went.
   */
  purgeExpired(cutoffs: PurgeCutoffs, limit: number): Promise<Record<PurgedKind, number>>;

  /** Active signing keys and retired ones still published at `now`, newest first. */
  signingKeys(now: Date): Promise<SigningKeyRecord[]>;
  /** A signing key by kid, active or retired (verification). */
  signingKey(kid: string): Promise<SigningKeyRecord | null>;
}
