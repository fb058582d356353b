import { ApiError } from './api';
import type { MessageKey } from '../i18n/messages';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Which explanation a failed call gets, by the API's error code first and its HTTP status second. */
export function errorKey(e: ApiError): MessageKey {
  switch (e.code) {
    case 'NETWORK':
      return 'err.network';
    case 'UNAUTHENTICATED':
      return 'err.unauthenticated';
    case 'BAD_CREDENTIALS':
    case 'LOGIN_FAILURE':
      return 'err.badCredentials';
    case 'RATE_LIMITED':
      return 'err.rateLimited';
    case 'CSRF':
      return 'err.csrf';
    case 'FORBIDDEN':
    case 'PERMISSION_DENIED':
      return 'err.forbidden';
    case 'INVALID_ARGUMENT':
      return 'err.invalid';
    case 'ALREADY_EXISTS':
      return 'err.exists';
    case 'SUBMIT_FAILED':
      return 'err.submitFailed';
    case 'CLUSTER_OFFLINE':
    case 'UNAVAILABLE':
      return 'err.offline';
    case 'NOT_SUPPORTED':
      return 'err.notSupported';
    case 'INVALID_STATE':
      return 'err.conflict';
    case 'INTERNAL':
      return 'err.internal';
  }
  if (e.code.endsWith('_NOT_FOUND') || e.status === 404) return 'err.notFound';
  if (e.status === 401) return 'err.unauthenticated';
  if (e.status === 403) return 'err.forbidden';
  if (e.status === 409) return 'err.conflict';
  if (e.status === 413) return 'err.tooLarge';
  if (e.status === 429) return 'err.rateLimited';
  if (e.status >= 500) return 'err.internal';
  if (e.status >= 400) return 'err.invalid';
  return 'err.generic';
}

/**
 * One sentence for the user: what kind of failure it is, in their language, followed by the server's own message
 * (which names the field or the object) when there is one.
 */
export function describeError(e: unknown, t: Translate): string {
  if (e instanceof ApiError) {
    const lead = t(errorKey(e));
    const detail = e.code === 'NETWORK' ? '' : e.message?.trim();
    return detail && detail !== e.code ? `${lead}: ${detail}` : lead;
  }
  if (e instanceof Error) {
    if (e.name === 'AbortError') return t('err.cancelled');
    return `${t('err.generic')}: ${e.message}`;
  }
  return t('err.generic');
}
