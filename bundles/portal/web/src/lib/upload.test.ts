import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { OffsetMismatch, UploadSession, UploadTransport, uploadFile } from './upload';

/** An in-memory server with the upload endpoints' rules, plus switches to make it misbehave. */
class FakeServer implements UploadTransport {
  data = new Uint8Array(0);
  session: UploadSession | null = null;
  completed = false;
  sends: number[] = [];
  failNextSends = 0;
  /** Bytes the server "lost" (e.g. a chunk it never stored) before answering the next send. */
  loseAfter: number | null = null;

  async create(path: string, size: number) {
    this.session = { id: 'u1', path, size, received: 0 };
    this.data = new Uint8Array(size);
    return { ...this.session };
  }
  async status(id: string) {
    if (!this.session || this.session.id !== id) throw new ApiError(404, 'NOT_FOUND', 'no such upload');
    return { ...this.session };
  }
  async send(id: string, offset: number, chunk: Blob) {
    this.sends.push(offset);
    if (this.failNextSends > 0) {
      this.failNextSends--;
      throw new ApiError(0, 'NETWORK', 'connection reset');
    }
    const s = this.session!;
    if (s.id !== id) throw new ApiError(404, 'NOT_FOUND', 'no such upload');
    if (this.loseAfter !== null) {
      s.received = this.loseAfter;
      this.loseAfter = null;
    }
    if (offset !== s.received) throw new OffsetMismatch(s.received);
    const bytes = new Uint8Array(await chunk.arrayBuffer());
    this.data.set(bytes, offset);
    s.received = offset + bytes.length;
    return s.received;
  }
  async complete() {
    this.completed = true;
  }
  async abort() {}
}

const blobOf = (n: number) => {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 7) % 251;
  return { blob: new Blob([bytes]), bytes };
};

describe('uploadFile', () => {
  it('sends the file in chunks, reports progress and completes', async () => {
    const server = new FakeServer();
    const { blob, bytes } = blobOf(1000);
    const progress: number[] = [];
    await uploadFile(server, '/home/a/f', blob, { chunkSize: 300, onProgress: (r) => progress.push(r) });
    expect(server.sends).toEqual([0, 300, 600, 900]);
    expect(progress).toEqual([0, 300, 600, 900, 1000]);
    expect(server.completed).toBe(true);
    expect(server.data).toEqual(bytes);
  });

  it('resumes from the offset the server reports after a 409', async () => {
    const server = new FakeServer();
    const { blob, bytes } = blobOf(1000);
    server.loseAfter = null;
    const upload = uploadFile(server, '/f', blob, { chunkSize: 400 });
    // the second chunk finds the server holding only 100 bytes: the client must go back to 100
    const original = server.send.bind(server);
    let calls = 0;
    server.send = async (id, offset, chunk) => {
      if (++calls === 2) server.loseAfter = 100;
      return original(id, offset, chunk);
    };
    await upload;
    expect(server.sends).toEqual([0, 400, 100, 500, 900]);
    expect(server.data).toEqual(bytes);
  });

  it('retries a network failure after asking the server where it stands', async () => {
    const server = new FakeServer();
    const { blob, bytes } = blobOf(500);
    server.failNextSends = 2;
    await uploadFile(server, '/f', blob, { chunkSize: 200, retryDelayMs: 0 });
    expect(server.sends).toEqual([0, 0, 0, 200, 400]);
    expect(server.data).toEqual(bytes);
  });

  it('gives up after too many failures and does not complete', async () => {
    const server = new FakeServer();
    server.failNextSends = 10;
    await expect(uploadFile(server, '/f', blobOf(100).blob, { retries: 2, retryDelayMs: 0 })).rejects.toThrow('connection reset');
    expect(server.completed).toBe(false);
  });

  it('does not retry a client error such as a denied path', async () => {
    const server = new FakeServer();
    server.send = async () => {
      throw new ApiError(403, 'FORBIDDEN', 'permission denied');
    };
    await expect(uploadFile(server, '/f', blobOf(10).blob, { retryDelayMs: 0 })).rejects.toThrow('permission denied');
  });

  it('continues an earlier session instead of starting over', async () => {
    const server = new FakeServer();
    const { blob, bytes } = blobOf(900);
    await server.create('/f', 900);
    server.data.set(bytes.slice(0, 300), 0);
    server.session!.received = 300;
    await uploadFile(server, '/f', blob, { chunkSize: 300, resumeId: 'u1' });
    expect(server.sends).toEqual([300, 600]);
    expect(server.data).toEqual(bytes);
  });

  it('stops when aborted', async () => {
    const server = new FakeServer();
    const controller = new AbortController();
    controller.abort();
    await expect(uploadFile(server, '/f', blobOf(10).blob, { signal: controller.signal })).rejects.toThrow('cancelled');
    expect(server.completed).toBe(false);
  });
});
