import { STATUS_CODES } from 'node:http';
import { FastResponse } from 'srvx';
import { errorBody, errorCatalog, type ErrorCode } from '@avtrz/shared/errors';
import { markErrorCode } from '../http/answer-outcome.ts';
import { isServerErrorCode, type ServerErrorCode, serverErrors } from '../http/server-errors.ts';
import type { RateLimitDecision } from '../metering/metering.ts';
import type { PhotoVariant } from '../profiles/profile-answer.ts';
import { CACHE_CONTROL, PHOTO_MAX_AGE_SECONDS } from './avatar-definition.ts';
import type { AvatarDecision } from './avatar-decision.ts';

/**
 * The answers of /v1/avatar, built as header lists handed straight to the server (no Headers object,
 * no merging): this is the hot path. Header names are the ones avatar-definition.ts documents.
 */
export type HeaderList = [string, string][];

/**
 * An answer of the public API: a web Response for the h3 routes, which keeps its parts as given so that
 * /v1/avatar can write them to Node's response directly (node-route.ts), with no conversion.
 */
export class ApiAnswer extends FastResponse {
  readonly statusCode: number;
  readonly headerList: HeaderList;
  /** Null for a bodiless answer and for every answer to HEAD. */
  readonly bodyText: string | null;
  constructor(status: number, headers: HeaderList, text: string | null) {
    super(text, { status, statusText: STATUS_CODES[status] ?? '', headers });
    this.statusCode = status;
    this.headerList = headers;
    this.bodyText = text;
  }
}

const SVG_TYPE = 'image/svg+xml';
const JSON_TYPE = 'application/json';
/** An SVG opened directly must not run anything; ours has nothing to run, this is defence in depth. */
const SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

export type AnswerErrorCode = ErrorCode | ServerErrorCode;

function bodyOf(code: AnswerErrorCode, message?: string) {
  if (!isServerErrorCode(code)) return errorBody(code, message);
  const spec = serverErrors[code];
  return { error: { type: spec.type, code, message: message ?? spec.message } };
}

export function statusOf(code: AnswerErrorCode): number {
  return isServerErrorCode(code) ? serverErrors[code].status : errorCatalog[code].status;
}

const jsonBodies = new Map<string, string>();
function jsonErrorText(code: AnswerErrorCode, message: string | undefined): string {
  if (message !== undefined) return JSON.stringify(bodyOf(code, message));
  let body = jsonBodies.get(code);
  if (!body) jsonBodies.set(code, (body = JSON.stringify(bodyOf(code))));
  return body;
}

/**
 * Bodies are strings: Node then sends headers and body in one write (bytes take two). Their length is
 * said outright, as for HEAD: headers written before the body would otherwise go out chunked.
 */
function respond(status: number, headers: HeaderList, body: string | null, head: boolean): ApiAnswer {
  if (body !== null) headers.push(['content-length', String(Buffer.byteLength(body))]);
  return new ApiAnswer(status, headers, head ? null : body);
}

/*
 * Header pairs that repeat from answer to answer are made once and shared by every list that names
 * them (lists are appended to, pairs never changed): a cached 302 then builds one list and one pair.
 */
type HeaderPair = [string, string];
const ANY_ORIGIN: HeaderPair = ['access-control-allow-origin', '*'];
// Said outright: Node would otherwise send a bodiless 302 chunked, with a chunk terminator.
const NO_BODY: HeaderPair = ['content-length', '0'];
const PHOTO_CACHE_CONTROL: HeaderPair = ['cache-control', CACHE_CONTROL.photo];
/** RateLimit-Reset is whole seconds within the minute: 0–60. */
const RESET_PAIRS: HeaderPair[] = Array.from({ length: 61 }, (_, s): HeaderPair => ['ratelimit-reset', String(s)]);
/** Plans name few distinct limits; bounded anyway. */
const limitPairs = new Map<number, HeaderPair>();
const MAX_LIMIT_PAIRS = 1_000;
const photoPairs = new WeakMap<PhotoVariant, { readonly location: HeaderPair; readonly etag: HeaderPair }>();

function limitPair(limit: number): HeaderPair {
  let pair = limitPairs.get(limit);
  if (pair === undefined) {
    pair = ['ratelimit-limit', String(limit)];
    if (limitPairs.size < MAX_LIMIT_PAIRS) limitPairs.set(limit, pair);
  }
  return pair;
}

function pairsOf(photo: PhotoVariant) {
  let pairs = photoPairs.get(photo);
  if (pairs === undefined) {
    pairs = { location: ['location', photo.location], etag: ['etag', photo.etag] };
    photoPairs.set(photo, pairs);
  }
  return pairs;
}

/**
 * A whole number as decimal text, kept out of V8's number-to-string cache. `String(n)` stores each new
 * string in that cache, a table in the old generation, so a value that changes with every answer
 * (RateLimit-Remaining) had its text promoted with every answer: under load the old generation grew by
 * about 2 MB/s and a major collection ran every 2 s, each one's marking lengthening the event-loop
 * turns around it (the p99 of `pnpm bench`). `toFixed(0)` writes the same digits for any safe integer.
 */
function decimal(n: number): string {
  return n.toFixed(0);
}

function addRateLimit(headers: HeaderList, rate: RateLimitDecision | undefined): HeaderList {
  if (rate) {
    headers.push(
      limitPair(rate.limit),
      ['ratelimit-remaining', decimal(rate.remaining)],
      RESET_PAIRS[rate.resetSeconds] ?? ['ratelimit-reset', String(rate.resetSeconds)],
    );
  }
  return headers;
}

/** A signed URL with `exp` is cached no longer than it is valid (CONTRACT §8). */
function photoCacheControl(maxAgeSeconds: number | undefined): HeaderPair {
  if (maxAgeSeconds === undefined || maxAgeSeconds >= PHOTO_MAX_AGE_SECONDS) return PHOTO_CACHE_CONTROL;
  return ['cache-control', `public, max-age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
}

export function photoRedirect(
  photo: PhotoVariant,
  rate: RateLimitDecision | undefined,
  maxAgeSeconds?: number | undefined,
): ApiAnswer {
  const { location, etag } = pairsOf(photo);
  const headers: HeaderList = [NO_BODY, location, etag, photoCacheControl(maxAgeSeconds), ANY_ORIGIN];
  return respond(302, addRateLimit(headers, rate), null, false);
}

export function photoNotModified(
  photo: PhotoVariant,
  rate: RateLimitDecision | undefined,
  maxAgeSeconds?: number | undefined,
): ApiAnswer {
  const headers: HeaderList = [pairsOf(photo).etag, photoCacheControl(maxAgeSeconds), ANY_ORIGIN];
  return respond(304, addRateLimit(headers, rate), null, false);
}

/** The decision as JSON (`format=json`): billed like the image answer, never cached. */
export function jsonDecision(
  decision: AvatarDecision,
  size: number,
  rate: RateLimitDecision | undefined,
  head: boolean,
): ApiAnswer {
  const photo = decision.kind === 'photo' ? decision.photo : undefined;
  const body = JSON.stringify({
    username: decision.handle,
    status: decision.status,
    size,
    url: photo?.location ?? null,
    etag: photo?.etag ?? null,
  });
  const headers: HeaderList = [
    ['content-type', JSON_TYPE],
    ['cache-control', CACHE_CONTROL.noStore],
    ['x-content-type-options', 'nosniff'],
    ['access-control-allow-origin', '*'],
  ];
  return respond(200, addRateLimit(headers, rate), body, head);
}

/** Any JSON body of a 200 (the batch endpoint's). */
export function jsonAnswer(body: unknown, rate: RateLimitDecision | undefined): ApiAnswer {
  const headers: HeaderList = [
    ['content-type', JSON_TYPE],
    ['cache-control', CACHE_CONTROL.noStore],
    ['x-content-type-options', 'nosniff'],
  ];
  return respond(200, addRateLimit(headers, rate), JSON.stringify(body), false);
}

export function fallbackImage(svg: string, rate: RateLimitDecision | undefined, head: boolean): ApiAnswer {
  const headers: HeaderList = [
    ['content-type', SVG_TYPE],
    ['cache-control', CACHE_CONTROL.noStore],
    ['content-security-policy', SVG_POLICY],
    ['x-content-type-options', 'nosniff'],
    ANY_ORIGIN,
  ];
  return respond(200, addRateLimit(headers, rate), svg, head);
}

export interface ErrorAnswerOptions {
  /** The SVG to answer instead of JSON (image callers). */
  readonly svg?: string | undefined;
  readonly rate?: RateLimitDecision | undefined;
  readonly head: boolean;
  /** A more precise sentence than the catalog's. */
  readonly message?: string | undefined;
  readonly extraHeaders?: HeaderList | undefined;
}

export function errorAnswer(code: AnswerErrorCode, options: ErrorAnswerOptions): ApiAnswer {
  const status = statusOf(code);
  const headers: HeaderList = [
    ['cache-control', CACHE_CONTROL.noStore],
    ['x-content-type-options', 'nosniff'],
    ['access-control-allow-origin', '*'],
  ];
  if (options.extraHeaders) headers.push(...options.extraHeaders);
  if (status === 429 && options.rate)
    headers.push(['retry-after', String(Math.max(1, Math.ceil(options.rate.retryAfterSeconds)))]);
  addRateLimit(headers, options.rate);
  if (options.svg) {
    headers.push(['content-type', SVG_TYPE], ['content-security-policy', SVG_POLICY], ['x-avtrz-error', code]);
    return markErrorCode(respond(status, headers, options.svg, options.head), code);
  }
  headers.push(['content-type', JSON_TYPE]);
  return markErrorCode(respond(status, headers, jsonErrorText(code, options.message), options.head), code);
}
