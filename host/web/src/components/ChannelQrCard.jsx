// The QR code and link a channel's connect answer carries: they open a conversation with the
// connected account on a phone. Used by every channel's tab, Instagram's included.

/**
 * link: lib/channels.js connectLinkOf's {link, image, username, alreadyConnected}, plus an
 * optional profileUrl; every URL in it has passed lib/url.js safeUrl.
 * showStatus: whether the line under it says how connecting went (off when the card shows the
 * account's link without a connect answer at hand).
 * directMessage: the link opens a direct message (Instagram's words) rather than a conversation.
 */
export function ChannelQrCard({ channel, link, connected, showStatus = true, directMessage }) {
  const who = link.username ? `@${link.username}` : `the ${channel.displayName} account`;
  const opens = directMessage ? 'a direct message' : 'a conversation';
  const imageAlt = directMessage
    ? `QR code that opens a direct message to ${who} on ${channel.displayName}`
    : `QR code that opens a conversation with ${who} on ${channel.displayName}`;
  return (
    <section class="card qr-card" aria-labelledby={`${channel.name}-qr-heading`}>
      <h2 id={`${channel.name}-qr-heading`}>Message {who}</h2>
      {link.image && (
        <img class="qr-image" src={link.image} alt={imageAlt} width="240" height="240" />
      )}
      <p class="muted">
        {link.image
          ? `Scan with a phone camera to open ${opens} with the account.`
          : 'Open this link on a phone to message the account.'}
      </p>
      {link.link && (
        <p>
          <a class="qr-link" href={link.link} target="_blank" rel="noopener noreferrer">
            {link.link}
          </a>
        </p>
      )}
      {link.profileUrl && (
        <p>
          <a href={link.profileUrl} target="_blank" rel="noopener noreferrer">
            View profile on {channel.displayName}
          </a>
        </p>
      )}
      {showStatus && (
        <p class="qr-status" role="status">
          {!connected ? 'Connecting…' : link.alreadyConnected ? 'Already connected.' : 'Connected!'}
        </p>
      )}
    </section>
  );
}
