import { api, enc, errorFromResponse, getCsrfToken } from './api';
import { OffsetMismatch, UploadSession, UploadTransport } from './upload';

/** The upload endpoints of one cluster's file service. */
export function httpUploadTransport(cluster: string): UploadTransport {
  const base = `/api/v1/clusters/${enc(cluster)}/files/uploads`;
  return {
    create: (path, size, overwrite) => api.post<UploadSession>(base, { path, size, overwrite }),
    status: (id) => api.get<UploadSession>(`${base}/${enc(id)}`),
    async send(id, offset, chunk, signal) {
      const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
      const csrf = getCsrfToken();
      if (csrf) headers['X-CSRF-Token'] = csrf;
      const response = await fetch(`${base}/${enc(id)}?offset=${offset}`, {
        method: 'PUT',
        headers,
        body: chunk,
        credentials: 'same-origin',
        signal,
      });
      if (response.status === 409) {
        const error = await errorFromResponse(response);
        const received = Number(error.details.received);
        if (Number.isFinite(received)) throw new OffsetMismatch(received);
        throw error;
      }
      if (!response.ok) throw await errorFromResponse(response);
      const body = (await response.json()) as { received: number };
      return body.received;
    },
    complete: (id) => api.post<void>(`${base}/${enc(id)}/complete`),
    abort: (id) => api.del<void>(`${base}/${enc(id)}`),
  };
}
