// The QR code and link a channel's connect answer carries: they open a conversation with the
// connected account on a phone.

export function ChannelQrCard({ channel, link, connected }) {
  const who = link.username ? `@${link.username}` : `the ${channel.displayName} account`;
  return (
    <section class="card qr-card" aria-labelledby={`${channel.name}-qr-heading`}>
      <h2 id={`${channel.name}-qr-heading`}>Message {who}</h2>
      {link.image && (
        <img
          class="qr-image"
          src={link.image}
          alt={`QR code that opens a conversation with ${who} on ${channel.displayName}`}
          width="240"
          height="240"
        />
      )}
      <p class="muted">
        {link.image
          ? 'Scan with a phone camera to open a conversation with the account.'
          : 'Open this link on a phone to message the account.'}
      </p>
      {link.link && (
        <p>
          <a class="qr-link" href={link.link} target="_blank" rel="noopener noreferrer">
            {link.link}
          </a>
        </p>
      )}
      <p class="qr-status" role="status">
        {connected ? 'Connected!' : 'Connecting…'}
      </p>
    </section>
  );
}
