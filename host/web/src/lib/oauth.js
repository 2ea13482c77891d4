// "Connect with Instagram": the host sends the browser back to the page with the outcome in the
// query (?connect=instagram&result=connected, or &result=error&reason=<words>). This reads it and
// gives the address to put back in the bar without it.

const kKeys = ['connect', 'result', 'reason'];
export const kMaxReasonLength = 300;

/**
 * {result: 'connected'} or {result: 'error', reason} from a location.search string, or null when
 * it does not carry an Instagram connect outcome. The reason is plain text, shortened.
 */
export function parseConnectResult(search) {
  const params = new URLSearchParams(search || '');
  if (params.get('connect') !== 'instagram') return null;
  const result = params.get('result');
  if (result === 'connected') return { result: 'connected' };
  let reason = (params.get('reason') || '').replace(/\s+/g, ' ').trim();
  if (reason.length > kMaxReasonLength) reason = `${reason.slice(0, kMaxReasonLength - 1)}…`;
  if (result === 'error')
    return { result: 'error', reason: reason || 'Instagram did not complete the connection.' };
  return { result: 'error', reason: 'Instagram sent back an answer this page does not know.' };
}

/** The search string without the connect outcome ('' or '?other=1'), for history.replaceState. */
export function stripConnectQuery(search) {
  const params = new URLSearchParams(search || '');
  if (params.get('connect') !== 'instagram') return search || '';
  for (const key of kKeys) params.delete(key);
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}
