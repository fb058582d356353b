import { describe, expect, it } from 'vitest';
import { ApiError, errorFromResponse } from './api';
import { describeError, errorKey } from './errors';
import { messages, MessageKey, translate } from '../i18n/messages';

const en = (key: MessageKey, vars?: Record<string, string | number>) => translate(messages.en, key, vars);
const zh = (key: MessageKey, vars?: Record<string, string | number>) => translate(messages['zh-CN'], key, vars);

describe('describeError', () => {
  it('explains the kind of failure and keeps the server message that names the field', () => {
    const e = new ApiError(400, 'INVALID_ARGUMENT', 'workingDirectory: must be an absolute path', { field: 'workingDirectory' });
    expect(describeError(e, en)).toBe('Please check your input: workingDirectory: must be an absolute path');
    expect(describeError(e, zh)).toBe('请检查输入: workingDirectory: must be an absolute path');
  });

  it('maps codes first and statuses second', () => {
    expect(errorKey(new ApiError(401, 'BAD_CREDENTIALS', 'wrong user or password'))).toBe('err.badCredentials');
    expect(errorKey(new ApiError(404, 'JOB_NOT_FOUND', "job '9' does not exist"))).toBe('err.notFound');
    expect(errorKey(new ApiError(503, 'CLUSTER_OFFLINE', 'cluster x is offline'))).toBe('err.offline');
    expect(errorKey(new ApiError(422, 'SUBMIT_FAILED', 'job submission failed: account blocked'))).toBe('err.submitFailed');
    expect(errorKey(new ApiError(403, 'SOMETHING_NEW', 'no'))).toBe('err.forbidden');
    expect(errorKey(new ApiError(502, 'WHATEVER', 'x'))).toBe('err.internal');
  });

  it('says only that the platform is unreachable on a network error', () => {
    expect(describeError(new ApiError(0, 'NETWORK', 'Failed to fetch'), en)).toBe(messages.en['err.network']);
  });

  it('reads the API error body, and a body that says "error" instead of "code"', async () => {
    const a = await errorFromResponse(
      new Response(JSON.stringify({ code: 'FORBIDDEN', message: 'only admins', details: {} }), { status: 403 }),
    );
    expect([a.status, a.code, a.message]).toEqual([403, 'FORBIDDEN', 'only admins']);
    const b = await errorFromResponse(new Response(JSON.stringify({ error: 'CONFLICT', message: 'offset', received: 5 }), { status: 409 }));
    expect([b.code, b.details.received]).toEqual(['CONFLICT', 5]);
    const c = await errorFromResponse(new Response('<html>proxy error</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect([c.code, c.message]).toEqual(['HTTP_502', '<html>proxy error</html>']);
  });

  it('describes other exceptions without hiding them', () => {
    expect(describeError(new Error('boom'), en)).toBe('The operation failed: boom');
    expect(describeError(new DOMException('x', 'AbortError'), zh)).toBe('已取消');
  });
});
