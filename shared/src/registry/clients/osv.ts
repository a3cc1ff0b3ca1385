/**
 * OSV: `POST /v1/querybatch` for every dependency at once (at most 1,000 queries a batch; answers carry
 * only ids and modified dates), `POST /v1/query` to follow a `next_page_token`, then `GET /v1/vulns/<id>`
 * for each hit. Results are cached per dependency, so editing one line re-asks about one package only.
 * `MAL-` ids are malicious packages; withdrawn records are dropped.
 */
import type { Ecosystem } from '../../model';
import { cacheKey, type CacheStore } from '../cache';
import { CACHE_TTL_MS, osvPage } from '../defaults';
import { cvss3BaseScore, cvssRating } from '../cvss';
import { HttpError, systemClock, type Clock, type HttpClient } from '../http';
import { arr, date, obj, str } from '../json';

/** One package (and version, when known) to ask OSV about. */
export interface OsvQuery {
  ecosystem: Ecosystem;
  name: string;
  version?: string;
}

/** Severity as the record states it. */
export type OsvSeverity = 'critical' | 'high' | 'moderate' | 'low' | 'unknown';

/** The parts of a full OSV record the signals use. */
export interface OsvRecord {
  id: string;
  summary?: string;
  aliases: string[];
  severity: OsvSeverity;
  malicious: boolean;
  withdrawn: boolean;
  published?: Date;
  url: string;
}

/** Ids for one query, or why there are none. */
export type OsvQueryResult = { ids: string[] } | { error: string };

/** At most this many queries per querybatch request (the service's limit). */
export const OSV_BATCH_LIMIT = 1000;
const MAX_PAGES = 5;

function severityOf(record: Record<string, unknown>): OsvSeverity {
  const labels: string[] = [];
  const dbs = obj(record.database_specific);
  if (typeof dbs?.severity === 'string') labels.push(dbs.severity);
  for (const affected of arr(record.affected)) {
    const a = obj(affected);
    for (const holder of [obj(a?.ecosystem_specific), obj(a?.database_specific)]) if (typeof holder?.severity === 'string') labels.push(holder.severity);
  }
  const order: OsvSeverity[] = ['critical', 'high', 'moderate', 'low'];
  const fromLabel = labels.map((l) => l.toLowerCase().replace('medium', 'moderate')).filter((l): l is OsvSeverity => order.includes(l as OsvSeverity));
  const scores = arr(record.severity).map((s) => cvss3BaseScore(str(obj(s)?.score) ?? '')).filter((n): n is number => n !== undefined);
  const fromScore = scores.map(cvssRating);
  const all = [...fromLabel, ...fromScore];
  for (const level of order) if (all.includes(level)) return level;
  return 'unknown';
}

/** Reads a full OSV record. */
export function parseOsvRecord(doc: Record<string, unknown>): OsvRecord {
  const id = str(doc.id) ?? '';
  const aliases = arr(doc.aliases).filter((a): a is string => typeof a === 'string');
  const record: OsvRecord = {
    id,
    aliases,
    severity: severityOf(doc),
    malicious: id.startsWith('MAL-') || aliases.some((a) => a.startsWith('MAL-')),
    withdrawn: doc.withdrawn !== undefined && doc.withdrawn !== null,
    url: osvPage(id),
  };
  const summary = str(doc.summary) ?? str(doc.details)?.split('\n')[0];
  if (summary) record.summary = summary.slice(0, 200);
  const published = date(doc.published);
  if (published) record.published = published;
  return record;
}

/** OSV client. */
export class OsvClient {
  constructor(
    private readonly http: HttpClient,
    private readonly base: string,
    private readonly cache: CacheStore | undefined,
    private readonly clock: Clock = systemClock,
  ) {}

  private queryKey(q: OsvQuery): string {
    return cacheKey('OSV-QUERY', `${this.base}\n${q.ecosystem}\n${q.name}\n${q.version ?? ''}`);
  }

  /** Vulnerability ids for every query, aligned with the input; failures are per query, never thrown. */
  async queryBatch(queries: readonly OsvQuery[], signal: AbortSignal): Promise<OsvQueryResult[]> {
    const results: Array<OsvQueryResult | undefined> = new Array(queries.length).fill(undefined);
    const misses: number[] = [];
    const now = this.clock.now();
    for (const [i, q] of queries.entries()) {
      const entry = await this.cache?.get(this.queryKey(q)).catch(() => undefined);
      const fresh = entry && now - entry.storedAt < CACHE_TTL_MS.osvQuery;
      if (entry && (fresh || this.http.settings.offline)) results[i] = { ids: JSON.parse(entry.body) as string[] };
      else misses.push(i);
    }
    if (misses.length > 0 && this.http.settings.offline) {
      for (const i of misses) results[i] = { error: 'offline mode: no cached OSV answer' };
      misses.length = 0;
    }
    for (let start = 0; start < misses.length; start += OSV_BATCH_LIMIT) {
      const chunk = misses.slice(start, start + OSV_BATCH_LIMIT);
      const body = JSON.stringify({ queries: chunk.map((i) => toWire(queries[i] as OsvQuery)) });
      try {
        // Per-dependency caching happens below; the batch itself is not worth caching.
        const response = await this.http.fetch(`${this.base}/v1/querybatch`, { signal, method: 'POST', body, contentType: 'application/json', expect: 'json', ttlMs: 0 });
        const answers = arr(obj(response.json)?.results);
        if (response.status !== 200 || answers.length !== chunk.length) throw new HttpError('bad-content', `OSV answered ${answers.length} results for ${chunk.length} queries`);
        for (const [k, i] of chunk.entries()) {
          const answer = obj(answers[k]) ?? {};
          const ids = arr(answer.vulns).map((v) => str(obj(v)?.id)).filter((id): id is string => Boolean(id));
          const token = str(answer.next_page_token);
          if (token) ids.push(...(await this.morePages(queries[i] as OsvQuery, token, signal)));
          results[i] = { ids };
          await this.cache?.set({ key: this.queryKey(queries[i] as OsvQuery), url: `${this.base}/v1/querybatch`, status: 200, headers: {}, body: JSON.stringify(ids), storedAt: this.clock.now() }).catch(() => undefined);
        }
      } catch (error) {
        const message = error instanceof HttpError ? error.message : String(error);
        for (const i of chunk) results[i] ??= { error: message };
      }
    }
    return results.map((r) => r ?? { error: 'no answer' });
  }

  private async morePages(q: OsvQuery, firstToken: string, signal: AbortSignal): Promise<string[]> {
    const ids: string[] = [];
    let token: string | undefined = firstToken;
    for (let page = 0; token && page < MAX_PAGES; page++) {
      const response = await this.http.fetch(`${this.base}/v1/query`, { signal, method: 'POST', body: JSON.stringify({ ...toWire(q), page_token: token }), contentType: 'application/json', expect: 'json', ttlMs: 0 });
      const doc = obj(response.json);
      ids.push(...arr(doc?.vulns).map((v) => str(obj(v)?.id)).filter((id): id is string => Boolean(id)));
      token = str(doc?.next_page_token);
    }
    return ids;
  }

  /** The full record of one advisory. */
  async record(id: string, signal: AbortSignal): Promise<OsvRecord> {
    const response = await this.http.fetch(`${this.base}/v1/vulns/${encodeURIComponent(id)}`, { signal, expect: 'json', ttlMs: CACHE_TTL_MS.osvRecord, notFoundTtlMs: CACHE_TTL_MS.notFound });
    const doc = obj(response.json);
    if (response.status !== 200 || !doc) throw new HttpError('status', `OSV has no record ${id}`, response.status);
    return parseOsvRecord(doc);
  }
}

function toWire(q: OsvQuery): Record<string, unknown> {
  const wire: Record<string, unknown> = { package: { name: q.name, ecosystem: q.ecosystem } };
  if (q.version) wire.version = q.version;
  return wire;
}
