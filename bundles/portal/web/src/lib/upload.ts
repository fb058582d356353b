// Chunked, resumable upload against POST /files/uploads, PUT /files/uploads/{id}?offset=N, .../complete.
// Kept free of React and fetch details (the transport is passed in) so it can be tested without a server.

export interface UploadSession {
  id: string;
  path: string;
  size: number;
  received: number;
}

/** What the upload needs from the server; the real one is {@link httpUploadTransport}. */
export interface UploadTransport {
  create(path: string, size: number, overwrite: boolean): Promise<UploadSession>;
  status(id: string): Promise<UploadSession>;
  /** Sends bytes starting at offset; answers how many bytes the server now holds. */
  send(id: string, offset: number, chunk: Blob, signal?: AbortSignal): Promise<number>;
  complete(id: string): Promise<void>;
  abort(id: string): Promise<void>;
}

/** The server's "wrong offset" answer (409 with {received}): resume from there. */
export class OffsetMismatch extends Error {
  constructor(readonly received: number) {
    super(`server holds ${received} bytes`);
    this.name = 'OffsetMismatch';
  }
}

export interface UploadOptions {
  chunkSize?: number;
  /** Transient failures of one chunk before giving up. */
  retries?: number;
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?: (received: number, size: number) => void;
  /** An earlier session of the same file to resume. */
  resumeId?: string;
  /** Pause between retries, in ms (tests pass 0). */
  retryDelayMs?: number;
}

export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Uploads the blob to path in chunks. Each chunk is sent at the offset the server reports; a 409 moves the offset to
 * what the server holds, a network error retries after asking the server where it stands.
 */
export async function uploadFile(
  transport: UploadTransport,
  path: string,
  file: Blob,
  options: UploadOptions = {},
): Promise<UploadSession> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const retries = options.retries ?? 5;
  const delay = options.retryDelayMs ?? 1000;
  let session = options.resumeId
    ? await transport.status(options.resumeId)
    : await transport.create(path, file.size, options.overwrite ?? false);
  let offset = session.received;
  options.onProgress?.(offset, file.size);
  let failures = 0;
  while (offset < file.size) {
    if (options.signal?.aborted) throw new DOMException('upload cancelled', 'AbortError');
    const end = Math.min(offset + chunkSize, file.size);
    try {
      offset = await transport.send(session.id, offset, file.slice(offset, end), options.signal);
      failures = 0;
    } catch (e) {
      if (e instanceof OffsetMismatch) {
        offset = e.received;
      } else if ((e as Error).name === 'AbortError' || ++failures > retries || !isTransient(e)) {
        throw e;
      } else {
        await sleep(delay * failures);
        offset = (await transport.status(session.id)).received;
      }
    }
    options.onProgress?.(offset, file.size);
  }
  await transport.complete(session.id);
  session = { ...session, received: offset };
  return session;
}

function isTransient(e: unknown): boolean {
  const status = (e as { status?: number }).status;
  return status === undefined || status === 0 || status >= 500 || status === 408 || status === 429;
}
