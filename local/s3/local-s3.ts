import busboy from 'busboy';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, unlink } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import S3rver, { type FilesystemStore } from 's3rver';
import type { SQSEvent } from 'aws-lambda';
import type { TimeSource } from '../../functions/shared/clock.ts';
import { logger } from '../../functions/shared/logger.ts';
import { localPorts } from '../ports.ts';
import { ObjectEventDispatcher, type CreatedReason } from './object-events.ts';
import { checkPostPolicy, type FormField, type PostPlan } from './post-policy.ts';
import { S3Error, escapeXml, newRequestId } from './s3-error.ts';
import { firstHeader, parseQuery, verifyRequest, type LocalCredentials, type VerifiedCaller } from './sigv4.ts';
import { OverflowError, VERIFIED_CHECKSUMS, spool, type Spooled } from './spool.ts';
import { VersionIndex, newVersionId, type VersionRecord } from './version-index.ts';

/** Options of {@link LocalS3.start}. */
export interface LocalS3Options {
  /** Port of the front on 127.0.0.1 (default: `localPorts().s3`; 0 picks a free one). */
  port?: number;
  /** The virtual clock: policy expiry, presigned URL expiry, signing skew, Last-Modified and event times follow it. */
  clock: TimeSource;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Buckets that exist (all versioned, as the evidence bucket is on AWS). */
  buckets: string[];
  /** Origins allowed by the bucket CORS rule (the portal origin); `*` allows any. */
  corsOrigins?: string[];
  /** Where objects and the version index live (e.g. `.local/s3`); default: a temp dir removed on close. */
  dataDir?: string;
  /** Account id in ARNs and `requester` (default `000000000000`). */
  accountId?: string;
  /** Name of the queue the EventBridge rule feeds, shown in `eventSourceARN` (default `evidence-events`). */
  queueName?: string;
  /** Receives each SQS batch of EventBridge "Object Created" events, outside the request. */
  onObjectCreated?: (event: SQSEvent) => unknown;
}

/** An object version as stored, read back for tests and tools. */
export interface StoredObject {
  body: Buffer;
  versionId: string;
  etag: string;
  size: number;
  contentType: string;
  /** Stored headers: content-disposition, cache-control, x-amz-meta-*, … (lower-case names). */
  metadata: Record<string, string>;
  lastModified: Date;
  checksums: Record<string, string>;
}

/** One entry of a key's version history (newest last). */
export interface VersionInfo {
  versionId: string;
  isDeleteMarker: boolean;
  size: number;
  etag: string;
  lastModified: Date;
  sequencer: string;
}

/** s3rver bucket holding every version's bytes, at key `<bucket>/<versionId>`. */
const VERSIONS_BUCKET = '_versions';
/** "The form data and boundaries (excluding the contents of the file) cannot exceed 20KB." */
const MAX_POST_PRE_DATA = 20 * 1024;
/** S3's limit for a single PUT. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;
/** Bytes of a refused body read and discarded so that browsers see the error rather than a reset. */
const DRAIN_ALLOWANCE = 16 * 1024 * 1024;
const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'content-type', 'expires'];
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

interface Route {
  bucket: string;
  key: string;
  rawPath: string;
  rawQuery: string;
  query: Map<string, string>;
  requestId: string;
}

/**
 * The local S3: a node:http front on 127.0.0.1 over an in-process s3rver.
 *
 * s3rver checks no SigV4 signature and no POST policy, has no versioning,
 * and its own write path resolves before the file is flushed; so the front
 * answers the object API itself, as S3 would, and keeps s3rver as the store:
 * - auth: header SigV4 (signature, x-amz-content-sha256, 15-minute skew) and
 *   presigned query (signature, X-Amz-Expires) checked against the virtual
 *   clock; browser POSTs checked against their policy (signature, expiry,
 *   every condition, uncovered fields, content-length-range while streaming);
 * - versioning: every write is a new version whose bytes and metadata are an
 *   s3rver object `_versions/<bucket>/<versionId>` written through the store's
 *   own layout (temp file renamed into place, then `putMetadata`); the list of
 *   versions per key (with delete markers, sizes, ETags, sequencers) is
 *   `versions.json` in the data directory. The bucket's own s3rver folder stays
 *   empty: reads, lists and deletes go through the version index;
 * - object tagging is proxied to s3rver's internal port on the version's object;
 * - events: each write is delivered later as an SQS batch of EventBridge
 *   "Object Created" events through `onObjectCreated`.
 * ListObjectsV2 paging is answered by the front, so s3rver's DES continuation
 * tokens (which need `--openssl-legacy-provider` on Node 17+) are never made.
 */
export class LocalS3 {
  private readonly creds: LocalCredentials;
  private readonly buckets: Set<string>;
  private readonly events: ObjectEventDispatcher;
  private readonly incomingDir: string;
  private endpointUrl = '';

  private constructor(
    private readonly options: LocalS3Options,
    private readonly dataDir: string,
    private readonly ownsDataDir: boolean,
    private readonly s3rver: S3rver,
    private readonly store: FilesystemStore,
    private readonly storePort: number,
    private readonly index: VersionIndex,
    private readonly server: Server,
  ) {
    this.creds = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, region: options.region };
    this.buckets = new Set(options.buckets);
    this.incomingDir = join(dataDir, 'incoming');
    const { onObjectCreated } = options;
    this.events = new ObjectEventDispatcher(
      onObjectCreated
        ? { region: options.region, accountId: options.accountId ?? '000000000000', queueName: options.queueName ?? 'evidence-events', onObjectCreated }
        : undefined,
      () => options.clock.now(),
    );
  }

  /** Starts s3rver on a free internal port and the front on `port`; resolves when both listen. */
  static async start(options: LocalS3Options): Promise<LocalS3> {
    const ownsDataDir = options.dataDir === undefined;
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'local-s3-')));
    const storeDir = join(dataDir, 'store');
    await mkdir(storeDir, { recursive: true });
    await rm(join(dataDir, 'incoming'), { recursive: true, force: true });
    await mkdir(join(dataDir, 'incoming'), { recursive: true });
    const s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: storeDir,
      vhostBuckets: false,
      configureBuckets: [...options.buckets, VERSIONS_BUCKET].map((name) => ({ name })),
    });
    const storeAddress = await s3rver.run();
    const index = await VersionIndex.open(join(dataDir, 'versions.json'));
    const server = createServer();
    const local = new LocalS3(options, dataDir, ownsDataDir, s3rver, s3rver.store, storeAddress.port, index, server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void local.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? localPorts().s3, '127.0.0.1', () => resolve());
    });
    local.endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return local;
  }

  /** `http://127.0.0.1:<port>`: the S3 client's `endpoint` (with `forcePathStyle: true`). */
  get endpoint(): string {
    return this.endpointUrl;
  }

  /** Delivers pending events, then stops both servers (and removes a temp data dir). */
  async close(): Promise<void> {
    await this.events.idle();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.s3rver.close();
    await this.index.flushed();
    if (this.ownsDataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  /** Resolves when every object event queued so far has been handed to `onObjectCreated`. */
  eventsDelivered(): Promise<void> {
    return this.events.idle();
  }

  /** Reads a version (the latest when `versionId` is omitted); undefined when absent or a delete marker. */
  async readObject(bucket: string, key: string, versionId?: string): Promise<StoredObject | undefined> {
    const record = versionId ? this.index.find(bucket, key, versionId) : this.index.latest(bucket, key);
    if (!record || record.deleteMarker) return undefined;
    const vkey = versionKey(bucket, record.versionId);
    const [body, stored] = await Promise.all([readFile(this.store.getResourcePath(VERSIONS_BUCKET, vkey, 'object')), this.store.getMetadata(VERSIONS_BUCKET, vkey)]);
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(stored)) {
      if (STORED_HEADERS.includes(k) || k.startsWith('x-amz-meta-')) metadata[k] = String(v);
    }
    return {
      body,
      versionId: record.versionId,
      etag: record.etag,
      size: record.size,
      contentType: metadata['content-type'] ?? 'binary/octet-stream',
      metadata,
      lastModified: new Date(record.lastModified),
      checksums: { ...record.checksums },
    };
  }

  /** The version history of a key, oldest first, delete markers included. */
  listVersions(bucket: string, key: string): VersionInfo[] {
    return this.index.versions(bucket, key).map((r) => ({
      versionId: r.versionId,
      isDeleteMarker: r.deleteMarker === true,
      size: r.size,
      etag: r.etag,
      lastModified: new Date(r.lastModified),
      sequencer: r.sequencer,
    }));
  }

  private now(): number {
    return this.options.clock.now();
  }

  private readonly requests = new Map<string, number>();

  /** Requests received so far by HTTP method (CORS preflights left out): the bench's S3 request count. */
  requestTally(): Record<string, number> {
    return Object.fromEntries(this.requests);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', randomBytes(32).toString('base64'));
    res.setHeader('Server', 'AmazonS3');
    // SDK clients correct their clock from this header, so they follow the virtual clock after a jump.
    res.setHeader('Date', new Date(this.now()).toUTCString());
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    this.applyCors(req, res);
    const method = req.method ?? 'GET';
    if (method !== 'OPTIONS') this.requests.set(method, (this.requests.get(method) ?? 0) + 1);
    try {
      if (req.method === 'OPTIONS') return this.preflight(req, res);
      const slash = rawPath.indexOf('/', 1);
      const bucket = decodeSegment(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
      const key = slash < 0 ? '' : decodeSegment(rawPath.slice(slash + 1));
      const route: Route = { bucket, key, rawPath, rawQuery, query: new Map(parseQuery(rawQuery)), requestId };
      if (!bucket) throw new S3Error('NotImplemented', 'A header you provided implies functionality that is not implemented');
      if (!this.buckets.has(bucket)) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
      if (req.method === 'POST' && !key && route.query.size === 0) return await this.postObject(req, res, route);
      const caller = verifyRequest({ method: req.method ?? 'GET', rawPath, rawQuery, headers: req.headers }, this.creds, this.now());
      if (!caller) throw new S3Error('AccessDenied', 'Access Denied');
      await this.dispatch(req, res, route, caller);
    } catch (error) {
      this.sendError(req, res, error, requestId);
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, route: Route, caller: VerifiedCaller): Promise<void> {
    const method = req.method ?? 'GET';
    const { key, query } = route;
    if (!key) {
      if (method === 'GET' && query.get('list-type') === '2') return this.listObjectsV2(res, route);
      if (method === 'GET' && query.has('location')) {
        return this.sendXml(res, 200, `<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${escapeXml(this.creds.region)}</LocationConstraint>`);
      }
      if (method === 'GET' && query.has('versioning')) {
        return this.sendXml(res, 200, '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>');
      }
      if (method === 'HEAD' && query.size === 0) {
        res.setHeader('x-amz-bucket-region', this.creds.region);
        res.statusCode = 200;
        res.end();
        return;
      }
      throw new S3Error('NotImplemented', 'A parameter you provided implies functionality that is not implemented');
    }
    if (query.has('tagging')) return this.proxyTagging(req, res, route);
    const subresources = ['uploads', 'uploadId', 'acl', 'attributes', 'retention', 'legal-hold', 'torrent', 'restore', 'select'];
    if (subresources.some((s) => query.has(s))) {
      throw new S3Error('NotImplemented', 'A parameter you provided implies functionality that is not implemented');
    }
    switch (method) {
      case 'GET':
      case 'HEAD':
        return this.getObject(req, res, route);
      case 'PUT':
        return req.headers['x-amz-copy-source'] ? this.copyObject(req, res, route) : this.putObject(req, res, route, caller);
      case 'DELETE':
        return this.deleteObject(res, route);
      default:
        throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: method, ResourceType: 'OBJECT' });
    }
  }

  /** Finds the version a read addresses, failing as S3 does for absent keys, versions and delete markers. */
  private resolve(bucket: string, key: string, versionId: string | undefined): VersionRecord {
    if (versionId !== undefined) {
      const record = this.index.find(bucket, key, versionId);
      if (!record) {
        if (!/^[A-Za-z0-9._-]{1,1024}$/.test(versionId)) throw new S3Error('InvalidArgument', 'Invalid version id specified', { ArgumentName: 'versionId', ArgumentValue: versionId });
        throw new S3Error('NoSuchVersion', 'The specified version does not exist.', { Key: key, VersionId: versionId });
      }
      if (record.deleteMarker) {
        throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: 'GET', ResourceType: 'DeleteMarker' }, {
          'x-amz-delete-marker': 'true',
          'x-amz-version-id': record.versionId,
          Allow: 'DELETE',
          'Last-Modified': new Date(record.lastModified).toUTCString(),
        });
      }
      return record;
    }
    const latest = this.index.latest(bucket, key);
    if (!latest) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
    if (latest.deleteMarker) {
      throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key }, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': latest.versionId });
    }
    return latest;
  }

  private async getObject(req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> {
    const record = this.resolve(route.bucket, route.key, route.query.get('versionId'));
    const vkey = versionKey(route.bucket, record.versionId);
    const stored = await this.store.getMetadata(VERSIONS_BUCKET, vkey);
    const lastModified = new Date(record.lastModified).toUTCString();

    const ifMatch = firstHeader(req.headers['if-match']);
    if (ifMatch && ifMatch !== '*' && !ifMatch.split(',').some((t) => t.trim() === record.etag)) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
    }
    const ifNoneMatch = firstHeader(req.headers['if-none-match']);
    if (ifNoneMatch && (ifNoneMatch === '*' || ifNoneMatch.split(',').some((t) => t.trim() === record.etag))) {
      res.writeHead(304, { ETag: record.etag, 'Last-Modified': lastModified, 'x-amz-version-id': record.versionId });
      res.end();
      return;
    }

    const range = parseRange(firstHeader(req.headers.range), record.size);
    if (range === 'unsatisfiable') {
      throw new S3Error('InvalidRange', 'The requested range is not satisfiable', { RangeRequested: firstHeader(req.headers.range) ?? '', ActualObjectSize: record.size });
    }
    for (const name of STORED_HEADERS) {
      const value = stored[name];
      if (value !== undefined) res.setHeader(name, String(value));
    }
    for (const [name, value] of Object.entries(stored)) {
      if (name.startsWith('x-amz-meta-')) res.setHeader(name, String(value));
    }
    for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
      const value = route.query.get(param);
      if (value !== undefined) res.setHeader(header, value);
    }
    if (firstHeader(req.headers['x-amz-checksum-mode'])?.toUpperCase() === 'ENABLED' && !range) {
      for (const [algorithm, value] of Object.entries(record.checksums ?? {})) res.setHeader(`x-amz-checksum-${algorithm}`, value);
    }
    res.setHeader('ETag', record.etag);
    res.setHeader('Last-Modified', lastModified);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('x-amz-version-id', record.versionId);
    res.setHeader('x-amz-server-side-encryption', 'aws:kms');
    const start = range ? range.start : 0;
    const end = range ? range.end : record.size - 1;
    res.setHeader('Content-Length', String(Math.max(0, end - start + 1)));
    if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${record.size}`);
    res.statusCode = range ? 206 : 200;
    if (req.method === 'HEAD' || record.size === 0) {
      res.end();
      return;
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(this.store.getResourcePath(VERSIONS_BUCKET, vkey, 'object'), { start, end });
      stream.on('error', (error) => {
        logger.error('local s3: reading a stored object failed', { error: error.message });
        res.destroy();
        resolve();
      });
      res.on('close', () => resolve());
      stream.pipe(res);
    });
  }

  private async putObject(req: IncomingMessage, res: ServerResponse, route: Route, caller: VerifiedCaller): Promise<void> {
    const encoding = firstHeader(req.headers['content-encoding']) ?? '';
    const payload = firstHeader(req.headers['x-amz-content-sha256']) ?? '';
    if (encoding.includes('aws-chunked') || payload.startsWith('STREAMING-')) {
      throw new S3Error('NotImplemented', 'aws-chunked uploads are not implemented by the local S3; use requestChecksumCalculation: WHEN_REQUIRED');
    }
    const body = await this.spoolOrAbort(req, res, req, MAX_PUT_BYTES, route.requestId);
    if (!body) return;
    try {
      if (body.tooLarge) {
        throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: body.size, MaxSizeAllowed: MAX_PUT_BYTES });
      }
      if (caller.payloadSha256 && caller.payloadSha256 !== body.sha256Hex) {
        throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
          ClientComputedContentSHA256: caller.payloadSha256,
          S3ComputedContentSHA256: body.sha256Hex,
        });
      }
      const contentMd5 = firstHeader(req.headers['content-md5']);
      if (contentMd5 !== undefined && contentMd5 !== Buffer.from(body.md5Hex, 'hex').toString('base64')) {
        throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', { ExpectedDigest: contentMd5, CalculatedDigest: Buffer.from(body.md5Hex, 'hex').toString('base64') });
      }
      const checksums = verifyChecksums(headerEntries(req.headers), body);
      const metadata = metadataFrom(headerEntries(req.headers));
      const record = await this.commit(route.bucket, route.key, body.path, body.md5Hex, body.size, metadata, checksums);
      res.setHeader('ETag', record.etag);
      res.setHeader('x-amz-version-id', record.versionId);
      res.setHeader('x-amz-server-side-encryption', 'aws:kms');
      for (const [algorithm, value] of Object.entries(checksums)) res.setHeader(`x-amz-checksum-${algorithm}`, value);
      res.statusCode = 200;
      res.end();
      this.announce(route, req, record, 'PutObject');
    } catch (error) {
      await unlink(body.path).catch(() => undefined);
      throw error;
    }
  }

  private async copyObject(req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> {
    const source = firstHeader(req.headers['x-amz-copy-source']) ?? '';
    const q = source.indexOf('?');
    const sourcePath = decodeSegment(q < 0 ? source : source.slice(0, q)).replace(/^\//, '');
    const sourceVersion = q < 0 ? undefined : parseQuery(source.slice(q + 1)).find(([k]) => k === 'versionId')?.[1];
    const slash = sourcePath.indexOf('/');
    const srcBucket = slash < 0 ? sourcePath : sourcePath.slice(0, slash);
    const srcKey = slash < 0 ? '' : sourcePath.slice(slash + 1);
    if (!srcBucket || !srcKey) throw new S3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', { ArgumentName: 'x-amz-copy-source', ArgumentValue: source });
    if (!this.buckets.has(srcBucket)) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: srcBucket });
    if (sourceVersion !== undefined && this.index.find(srcBucket, srcKey, sourceVersion)?.deleteMarker) {
      throw new S3Error('InvalidRequest', 'The source of a copy request may not specifically refer to a delete marker by version id.');
    }
    const src = this.resolve(srcBucket, srcKey, sourceVersion);
    const directive = (firstHeader(req.headers['x-amz-metadata-directive']) ?? 'COPY').toUpperCase();
    if (srcBucket === route.bucket && srcKey === route.key && sourceVersion === undefined && directive !== 'REPLACE') {
      throw new S3Error(
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    const srcVkey = versionKey(srcBucket, src.versionId);
    const metadata = directive === 'REPLACE' ? metadataFrom(headerEntries(req.headers)) : metadataFrom(Object.entries(await this.store.getMetadata(VERSIONS_BUCKET, srcVkey)).map(([k, v]) => [k, String(v)]));
    const tmp = join(this.incomingDir, `${newVersionId()}.copy`);
    await copyFile(this.store.getResourcePath(VERSIONS_BUCKET, srcVkey, 'object'), tmp);
    const record = await this.commit(route.bucket, route.key, tmp, src.etag.replace(/"/g, ''), src.size, metadata, { ...src.checksums });
    res.setHeader('x-amz-version-id', record.versionId);
    res.setHeader('x-amz-copy-source-version-id', src.versionId);
    this.sendXml(res, 200, `<CopyObjectResult><LastModified>${new Date(record.lastModified).toISOString()}</LastModified><ETag>${escapeXml(record.etag)}</ETag></CopyObjectResult>`);
    this.announce(route, req, record, 'CopyObject');
  }

  private async deleteObject(res: ServerResponse, route: Route): Promise<void> {
    const versionId = route.query.get('versionId');
    if (versionId !== undefined) {
      const removed = await this.index.remove(route.bucket, route.key, versionId);
      if (removed && !removed.deleteMarker) await this.store.deleteObject(VERSIONS_BUCKET, versionKey(route.bucket, versionId));
      res.setHeader('x-amz-version-id', versionId);
      if (removed?.deleteMarker) res.setHeader('x-amz-delete-marker', 'true');
    } else {
      const now = this.now();
      const marker: VersionRecord = { versionId: newVersionId(), deleteMarker: true, size: 0, etag: '', lastModified: now, sequencer: this.index.nextSequencer(now) };
      await this.index.append(route.bucket, route.key, marker);
      res.setHeader('x-amz-version-id', marker.versionId);
      res.setHeader('x-amz-delete-marker', 'true');
    }
    res.statusCode = 204;
    res.end();
  }

  private listObjectsV2(res: ServerResponse, route: Route): void {
    const q = route.query;
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const maxKeysText = q.get('max-keys') ?? '1000';
    if (!/^\d+$/.test(maxKeysText)) throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys', ArgumentValue: maxKeysText });
    const maxKeys = Math.min(1000, Number(maxKeysText));
    const token = q.get('continuation-token');
    const startAfter = q.get('start-after') ?? '';
    let after = { key: startAfter, isPrefix: false };
    if (token !== undefined) {
      try {
        after = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { key: string; isPrefix: boolean };
      } catch {
        throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
      }
    }
    const contents: string[] = [];
    const prefixes: string[] = [];
    const seenPrefixes = new Set<string>();
    let last: { key: string; isPrefix: boolean } | undefined;
    let truncated = false;
    for (const { key, record } of this.index.currentKeys(route.bucket)) {
      if (!key.startsWith(prefix)) continue;
      if (after.key && (byteCompare(key, after.key) <= 0 || (after.isPrefix && key.startsWith(after.key)))) continue;
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      const commonPrefix = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
      if (commonPrefix !== undefined && seenPrefixes.has(commonPrefix)) continue;
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (commonPrefix !== undefined) {
        seenPrefixes.add(commonPrefix);
        prefixes.push(`<CommonPrefixes><Prefix>${escapeXml(commonPrefix)}</Prefix></CommonPrefixes>`);
        last = { key: commonPrefix, isPrefix: true };
      } else {
        contents.push(
          `<Contents><Key>${escapeXml(key)}</Key><LastModified>${new Date(record.lastModified).toISOString()}</LastModified><ETag>${escapeXml(record.etag)}</ETag><Size>${record.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
        );
        last = { key, isPrefix: false };
      }
    }
    const next = truncated && last ? Buffer.from(JSON.stringify(last), 'utf8').toString('base64url') : undefined;
    const xml =
      '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Name>${escapeXml(route.bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix>` +
      (token !== undefined ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : startAfter ? `<StartAfter>${escapeXml(startAfter)}</StartAfter>` : '') +
      `<KeyCount>${contents.length + prefixes.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
      (delimiter ? `<Delimiter>${escapeXml(delimiter)}</Delimiter>` : '') +
      `<IsTruncated>${truncated}</IsTruncated>` +
      (next ? `<NextContinuationToken>${next}</NextContinuationToken>` : '') +
      contents.join('') +
      prefixes.join('') +
      '</ListBucketResult>';
    this.sendXml(res, 200, xml);
  }

  /** Object tagging lives on s3rver's copy of the version, so the request is forwarded there. */
  private async proxyTagging(req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> {
    const record = this.resolve(route.bucket, route.key, route.query.get('versionId'));
    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === 'authorization' || name === 'host' || name.startsWith('x-amz-')) continue;
      headers[name] = value;
    }
    await new Promise<void>((resolve, reject) => {
      const upstream = httpRequest(
        { host: '127.0.0.1', port: this.storePort, method: req.method, path: `/${VERSIONS_BUCKET}/${versionKey(route.bucket, record.versionId)}?tagging`, headers },
        (answer) => {
          const status = answer.statusCode ?? 500;
          res.statusCode = status === 200 && req.method === 'PUT' ? 200 : status;
          for (const name of ['content-type', 'content-length']) {
            const value = answer.headers[name];
            if (value !== undefined) res.setHeader(name, value);
          }
          res.setHeader('x-amz-version-id', record.versionId);
          answer.pipe(res);
          answer.on('end', () => resolve());
          answer.on('error', reject);
        },
      );
      upstream.on('error', reject);
      req.pipe(upstream);
    });
  }

  /**
   * A browser upload: the fields before `file` are checked against the policy
   * as soon as the file part begins; the file is streamed to disk while its
   * size is held to `content-length-range`; nothing is stored unless all of
   * it passes. Fields after the file are ignored, as S3 does.
   */
  private postObject(req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> {
    if (!/^multipart\/form-data/i.test(firstHeader(req.headers['content-type']) ?? '')) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' });
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, preservePath: true, limits: { fieldSize: MAX_POST_PRE_DATA + 1, fields: 1000, parts: 1100 } });
    } catch {
      throw new S3Error('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
    }
    return new Promise<void>((resolve) => {
      const fields: FormField[] = [];
      let preBytes = 0;
      let fileParts = 0;
      let failure: S3Error | undefined;
      let upload: Promise<{ record: VersionRecord; plan: PostPlan }> | undefined;
      let answered = false;

      const answer = async (abortAfter: boolean) => {
        if (answered) return;
        answered = true;
        try {
          if (failure) throw failure;
          if (!upload) throw new S3Error('InvalidArgument', 'POST requires exactly one file upload per request.', { ArgumentName: 'file', ArgumentValue: '0' });
          const { record, plan } = await upload;
          this.sendPostSuccess(res, route, plan, record);
          this.announce({ ...route, key: plan.key }, req, record, 'POST Object');
        } catch (error) {
          if (abortAfter) res.setHeader('Connection', 'close');
          this.sendError(req, res, error, route.requestId);
        } finally {
          if (abortAfter) res.on('finish', () => req.destroy());
          resolve();
        }
      };
      const fail = (error: S3Error) => {
        failure ??= error;
      };
      const giveUp = (error: S3Error) => {
        fail(error);
        req.unpipe(parser);
        void answer(true);
      };

      parser.on('field', (name, value, info) => {
        if (fileParts > 0 || failure) return;
        preBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
        if (info.valueTruncated || preBytes > MAX_POST_PRE_DATA) {
          fail(new S3Error('MaxPostPreDataLengthExceeded', 'Your POST request fields preceeding the upload file was too large.', { MaxPostPreDataLengthBytes: MAX_POST_PRE_DATA }));
          return;
        }
        if (name.toLowerCase() === 'file') {
          // A `file` part without a filename arrives as a field; S3 still takes it as the file.
          fileParts += 1;
          upload = this.acceptPostFile(route, fields, undefined, Readable.from([Buffer.from(value, 'utf8')]), giveUp);
          upload.catch(() => undefined);
          return;
        }
        fields.push({ name, value });
      });
      parser.on('file', (name, stream, info) => {
        if (fileParts > 0 || failure) {
          stream.resume();
          return;
        }
        if (name.toLowerCase() !== 'file') {
          // S3 counts any other part as a field; its content is not kept, its name still needs a condition.
          stream.resume();
          fields.push({ name, value: '' });
          return;
        }
        fileParts += 1;
        upload = this.acceptPostFile(route, fields, info.filename, stream, giveUp);
        upload.catch(() => undefined);
      });
      parser.on('close', () => void answer(false));
      parser.on('error', () => {
        fail(new S3Error('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.'));
        void answer(true);
      });
      req.on('error', () => {
        answered = true;
        resolve();
      });
      req.pipe(parser);
    });
  }

  private async acceptPostFile(route: Route, fields: FormField[], filename: string | undefined, file: Readable, giveUp: (error: S3Error) => void): Promise<{ record: VersionRecord; plan: PostPlan }> {
    let plan: PostPlan;
    try {
      plan = checkPostPolicy({ fields: [...fields], bucket: route.bucket, filename, creds: this.creds, nowMs: this.now() });
    } catch (error) {
      drain(file, DRAIN_ALLOWANCE, () => giveUp(error as S3Error));
      throw error;
    }
    let body: Spooled;
    try {
      body = await spool(file, this.incomingDir, plan.maxSize, DRAIN_ALLOWANCE);
    } catch (error) {
      if (error instanceof OverflowError) {
        const tooLarge = new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: error.seen, MaxSizeAllowed: plan.maxSize });
        file.resume();
        giveUp(tooLarge);
        throw tooLarge;
      }
      throw error;
    }
    try {
      if (body.tooLarge) throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: body.size, MaxSizeAllowed: plan.maxSize });
      if (body.size < plan.minSize) throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', { ProposedSize: body.size, MinSizeAllowed: plan.minSize });
      const contentMd5 = plan.fields.get('content-md5');
      if (contentMd5 !== undefined && contentMd5 !== Buffer.from(body.md5Hex, 'hex').toString('base64')) {
        throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
      }
      const checksums = verifyChecksums([...plan.fields], body);
      const metadata = metadataFrom([...plan.fields]);
      metadata['content-type'] ??= 'binary/octet-stream';
      const record = await this.commit(route.bucket, plan.key, body.path, body.md5Hex, body.size, metadata, checksums);
      return { record, plan };
    } catch (error) {
      await unlink(body.path).catch(() => undefined);
      throw error;
    }
  }

  private sendPostSuccess(res: ServerResponse, route: Route, plan: PostPlan, record: VersionRecord): void {
    const location = `${this.endpointUrl}/${encodeURIComponent(route.bucket)}/${encodeURIComponent(plan.key)}`;
    res.setHeader('ETag', record.etag);
    res.setHeader('Location', location);
    res.setHeader('x-amz-version-id', record.versionId);
    res.setHeader('x-amz-server-side-encryption', 'aws:kms');
    for (const [algorithm, value] of Object.entries(record.checksums ?? {})) res.setHeader(`x-amz-checksum-${algorithm}`, value);
    if (plan.redirect) {
      const query = new URLSearchParams({ bucket: route.bucket, key: plan.key, etag: record.etag }).toString();
      res.setHeader('Location', `${plan.redirect}${plan.redirect.includes('?') ? '&' : '?'}${query}`);
      res.statusCode = 303;
      res.end();
      return;
    }
    if (plan.successStatus === 201) {
      this.sendXml(
        res,
        201,
        `<PostResponse><Location>${escapeXml(location)}</Location><Bucket>${escapeXml(route.bucket)}</Bucket><Key>${escapeXml(plan.key)}</Key><ETag>${escapeXml(record.etag)}</ETag></PostResponse>`,
      );
      return;
    }
    res.statusCode = plan.successStatus;
    res.end();
  }

  /** Spools a request body; on an endless body answers EntityTooLarge itself, closes the connection and returns undefined. */
  private async spoolOrAbort(req: IncomingMessage, res: ServerResponse, source: Readable, maxBytes: number, requestId: string): Promise<Spooled | undefined> {
    try {
      return await spool(source, this.incomingDir, maxBytes, DRAIN_ALLOWANCE);
    } catch (error) {
      if (!(error instanceof OverflowError)) throw error;
      res.setHeader('Connection', 'close');
      this.sendError(req, res, new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: error.seen, MaxSizeAllowed: maxBytes }), requestId);
      res.on('finish', () => req.destroy());
      return undefined;
    }
  }

  /** Moves a spooled body into s3rver's store as a new version and records it as the latest. */
  private async commit(bucket: string, key: string, tmpPath: string, md5Hex: string, size: number, metadata: Record<string, string>, checksums: Record<string, string>): Promise<VersionRecord> {
    const versionId = newVersionId();
    const vkey = versionKey(bucket, versionId);
    const objectPath = this.store.getResourcePath(VERSIONS_BUCKET, vkey, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    await rename(tmpPath, objectPath);
    await this.store.putMetadata(VERSIONS_BUCKET, vkey, metadata, md5Hex);
    const now = this.now();
    const record: VersionRecord = {
      versionId,
      size,
      etag: `"${md5Hex}"`,
      lastModified: now,
      sequencer: this.index.nextSequencer(now),
      ...(Object.keys(checksums).length > 0 ? { checksums } : {}),
    };
    await this.index.append(bucket, key, record);
    return record;
  }

  private announce(route: Route, req: IncomingMessage, record: VersionRecord, reason: CreatedReason): void {
    this.events.enqueue({
      bucket: route.bucket,
      key: route.key,
      size: record.size,
      etag: record.etag.replace(/"/g, ''),
      versionId: record.versionId,
      sequencer: record.sequencer,
      requestId: route.requestId,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      reason,
      atMs: record.lastModified,
    });
  }

  private corsOrigin(origin: string | undefined): string | undefined {
    if (!origin) return undefined;
    const allowed = this.options.corsOrigins ?? [];
    if (allowed.includes('*')) return '*';
    return allowed.includes(origin) ? origin : undefined;
  }

  private applyCors(req: IncomingMessage, res: ServerResponse): void {
    const allowed = this.corsOrigin(firstHeader(req.headers.origin));
    if (!allowed) return;
    res.setHeader('Access-Control-Allow-Origin', allowed);
    if (allowed !== '*') res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', 'ETag, x-amz-version-id, x-amz-request-id, Content-Disposition, Content-Length, Content-Range, Location');
    res.setHeader('Vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
  }

  private preflight(req: IncomingMessage, res: ServerResponse): void {
    const origin = firstHeader(req.headers.origin);
    const method = firstHeader(req.headers['access-control-request-method']);
    if (!origin) throw new S3Error('BadRequest', 'Insufficient information. Origin request header needed.');
    if (!method) throw new S3Error('BadRequest', 'Invalid Access-Control-Request-Method: null');
    if (!this.corsOrigin(origin) || !['GET', 'HEAD', 'PUT', 'POST', 'DELETE'].includes(method.toUpperCase())) {
      throw new S3Error(
        'AccessForbidden',
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
        { Method: method, ResourceType: 'OBJECT' },
      );
    }
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, PUT, POST, DELETE');
    const requested = firstHeader(req.headers['access-control-request-headers']);
    if (requested) res.setHeader('Access-Control-Allow-Headers', requested);
    res.setHeader('Access-Control-Max-Age', '3000');
    res.statusCode = 200;
    res.end();
  }

  private sendXml(res: ServerResponse, status: number, xml: string): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/xml');
    res.setHeader('Content-Length', String(Buffer.byteLength(body)));
    res.end(body);
  }

  private sendError(req: IncomingMessage, res: ServerResponse, error: unknown, requestId: string): void {
    const s3Error =
      error instanceof S3Error
        ? error
        : (() => {
            logger.error('local s3: request failed', { error: error instanceof Error ? error.message : String(error) });
            return new S3Error('InternalError', 'We encountered an internal error. Please try again.');
          })();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const name of ['ETag', 'Location', 'x-amz-version-id', 'Content-Range', 'Content-Length']) res.removeHeader(name);
    for (const [name, value] of Object.entries(s3Error.headers)) res.setHeader(name, value);
    res.statusCode = s3Error.status;
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const body = s3Error.toXml(requestId);
    res.setHeader('Content-Type', 'application/xml');
    res.setHeader('Content-Length', String(Buffer.byteLength(body)));
    res.end(body);
  }
}

function versionKey(bucket: string, versionId: string): string {
  return `${bucket}/${versionId}`;
}

function decodeSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.");
  }
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function headerEntries(headers: IncomingHttpHeaders): [string, string][] {
  return Object.entries(headers)
    .filter((e): e is [string, string | string[]] => e[1] !== undefined)
    .map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]);
}

/** The system and user metadata S3 keeps from request headers or form fields. */
function metadataFrom(entries: [string, string][]): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [rawName, value] of entries) {
    const name = rawName.toLowerCase();
    if (name === 'content-encoding') {
      const kept = value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v && v !== 'aws-chunked')
        .join(',');
      if (kept) metadata[name] = kept;
    } else if (STORED_HEADERS.includes(name) || name.startsWith('x-amz-meta-')) {
      metadata[name] = value;
    }
  }
  return metadata;
}

/**
 * Checks the `x-amz-checksum-<algorithm>` values a client supplied against
 * the body, returning those to store. A mismatch is S3's 400 BadDigest.
 */
function verifyChecksums(entries: [string, string][], body: Spooled): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [rawName, value] of entries) {
    const name = rawName.toLowerCase();
    if (!name.startsWith('x-amz-checksum-') || name === 'x-amz-checksum-algorithm' || name === 'x-amz-checksum-type' || name === 'x-amz-checksum-mode') continue;
    const algorithm = name.slice('x-amz-checksum-'.length);
    if ((VERIFIED_CHECKSUMS as readonly string[]).includes(algorithm) && body.checksums[algorithm] !== value) {
      throw new S3Error('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
    }
    stored[algorithm] = value;
  }
  return stored;
}

/** Parses a single `bytes=` range; undefined means the whole object (S3 ignores what it cannot parse). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** Reads and discards a refused body so the client sees the answer; past `allowance` bytes it gives up. */
function drain(stream: Readable, allowance: number, onTooMuch: () => void): void {
  let seen = 0;
  let gaveUp = false;
  stream.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > allowance && !gaveUp) {
      gaveUp = true;
      onTooMuch();
    }
  });
  stream.on('error', () => undefined);
  stream.resume();
}
