// The one check every link the page builds from an answer goes through (an href, a QR code's
// link, the sign-in page the browser is sent to): only http(s) URLs are used.

/**
 * `text` when it is an absolute http(s) URL, else ''. The URL is parsed as the browser parses an
 * href, so that no spelling of another scheme (javascript:, data:, " javascript:") gets through.
 */
export function safeUrl(text) {
  if (typeof text !== 'string') return '';
  let url;
  try {
    url = new URL(text);
  } catch {
    return '';
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? text : '';
}
