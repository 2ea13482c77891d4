// Reading the bearer token: where it comes from (URL fragment or storage) and what its claims say.
// The page never verifies the signature (the server does); claims only drive defaults and hints.

const kStorageKey = 'chathost.token';

/** Decodes a JWT's payload without verifying it; null when the text is not a JWT. */
export function decodeClaims(token) {
  const parts = typeof token === 'string' ? token.trim().split('.') : [];
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : null;
  } catch {
    return null;
  }
}

/** Why a pasted token cannot be used, in words, or '' when it looks usable. */
export function tokenProblem(token, nowSeconds = Date.now() / 1000) {
  if (!token || !token.trim()) return 'Paste the access token printed by the host.';
  const claims = decodeClaims(token);
  if (!claims) return 'This is not a valid token: expected three dot-separated parts (a JWT).';
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds)
    return 'This token has expired. Create a new one with "chathost token".';
  return '';
}

/** The subaccount a user most likely wants: the token's first grant unless it grants all. */
export function defaultSubaccount(claims) {
  const list = claims && Array.isArray(claims.subaccounts) ? claims.subaccounts : [];
  const first = list.find((s) => typeof s === 'string' && s.length > 0);
  return first && first !== '*' ? first : 'default';
}

/** The subaccounts a token grants, for suggestions; empty when it grants all ("*"). */
export function grantedSubaccounts(claims) {
  const list = claims && Array.isArray(claims.subaccounts) ? claims.subaccounts : [];
  return list.filter((s) => typeof s === 'string' && s && s !== '*');
}

/** The token in a URL fragment such as "#token=abc" (other fragment keys are ignored). */
export function tokenFromFragment(hash) {
  const text = (hash || '').replace(/^#/, '');
  if (!text) return '';
  const params = new URLSearchParams(text);
  return (params.get('token') || '').trim();
}

export function loadToken(storage) {
  try {
    return storage.getItem(kStorageKey) || '';
  } catch {
    return '';
  }
}

export function saveToken(storage, token) {
  try {
    if (token) storage.setItem(kStorageKey, token);
    else storage.removeItem(kStorageKey);
  } catch {
    // Storage may be disabled; the token then lives only in memory for this page.
  }
}
