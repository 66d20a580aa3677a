import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One version of a key, newest last in its list. */
export interface VersionRecord {
  versionId: string;
  /** A delete marker has no content; the key reads as absent while it is the latest. */
  deleteMarker?: true;
  size: number;
  /** Quoted MD5 hex, as the ETag header carries it. */
  etag: string;
  /** Virtual-clock instant of the write (epoch ms). */
  lastModified: number;
  /** Upper-case hex, equal length for every record, increasing with each write. */
  sequencer: string;
  /** Checksums the uploader supplied and S3 verified, by algorithm (`sha256` → base64). */
  checksums?: Record<string, string>;
}

interface IndexFile {
  buckets: Record<string, Record<string, VersionRecord[]>>;
}

const SEQUENCER_DIGITS = 18;

/**
 * The version list of every key, kept in memory and persisted as one JSON
 * file (`versions.json` in the data directory) after each change, written to
 * a temporary file and renamed so a crash leaves the previous index whole.
 * Content lives in s3rver's store, one object per version.
 */
export class VersionIndex {
  private data: IndexFile = { buckets: {} };
  private lastSequencer = 0n;
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string) {}

  /** Loads the index from `file` (an empty index when the file does not exist yet). */
  static async open(file: string): Promise<VersionIndex> {
    const index = new VersionIndex(file);
    try {
      index.data = JSON.parse(await readFile(file, 'utf8')) as IndexFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const keys of Object.values(index.data.buckets)) {
      for (const list of Object.values(keys)) {
        for (const r of list) {
          const seq = BigInt(`0x${r.sequencer}`);
          if (seq > index.lastSequencer) index.lastSequencer = seq;
        }
      }
    }
    return index;
  }

  /** Every version of a key, oldest first (a copy). */
  versions(bucket: string, key: string): VersionRecord[] {
    return [...(this.data.buckets[bucket]?.[key] ?? [])];
  }

  /** The current version (possibly a delete marker), or undefined when the key never existed. */
  latest(bucket: string, key: string): VersionRecord | undefined {
    const list = this.data.buckets[bucket]?.[key];
    return list?.[list.length - 1];
  }

  find(bucket: string, key: string, versionId: string): VersionRecord | undefined {
    return this.data.buckets[bucket]?.[key]?.find((r) => r.versionId === versionId);
  }

  /** Keys whose latest version is not a delete marker, sorted as S3 lists them (UTF-8 byte order). */
  currentKeys(bucket: string): { key: string; record: VersionRecord }[] {
    const keys = this.data.buckets[bucket] ?? {};
    return Object.entries(keys)
      .map(([key, list]) => ({ key, record: list[list.length - 1] }))
      .filter((e): e is { key: string; record: VersionRecord } => !!e.record && !e.record.deleteMarker)
      .sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  }

  /** Appends a version as the new latest and persists the index. */
  async append(bucket: string, key: string, record: VersionRecord): Promise<void> {
    const keys = (this.data.buckets[bucket] ??= {});
    (keys[key] ??= []).push(record);
    await this.persist();
  }

  /** Removes one version (S3's DeleteObject with a versionId) and persists the index. */
  async remove(bucket: string, key: string, versionId: string): Promise<VersionRecord | undefined> {
    const keys = this.data.buckets[bucket];
    const list = keys?.[key];
    const i = list?.findIndex((r) => r.versionId === versionId) ?? -1;
    if (!keys || !list || i < 0) return undefined;
    const [removed] = list.splice(i, 1);
    if (list.length === 0) delete keys[key];
    await this.persist();
    return removed;
  }

  /** A sequencer greater than every one handed out before, derived from the write instant. */
  nextSequencer(nowMs: number): string {
    let seq = BigInt(Math.max(0, Math.floor(nowMs))) << 20n;
    if (seq <= this.lastSequencer) seq = this.lastSequencer + 1n;
    this.lastSequencer = seq;
    return seq.toString(16).toUpperCase().padStart(SEQUENCER_DIGITS, '0');
  }

  /** Waits for the last write of the index file. */
  flushed(): Promise<void> {
    return this.writing;
  }

  private persist(): Promise<void> {
    const snapshot = JSON.stringify(this.data);
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        await mkdir(dirname(this.file), { recursive: true });
        const tmp = `${this.file}.${process.pid}.tmp`;
        await writeFile(tmp, snapshot);
        await rename(tmp, this.file);
      });
    return this.writing;
  }
}

/** A version id shaped like S3's: 32 URL-safe characters. */
export function newVersionId(): string {
  return randomBytes(24).toString('base64').replace(/\+/g, '.').replace(/\//g, '_');
}
