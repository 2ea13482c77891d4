// What the Instagram tab's QR card shows: the QR code and link of the last connect answer, or,
// after a reload (no answer at hand), the ig.me link of the connected account.

import { connectLinkOf } from './channels.js';
import { safeUrl } from './url.js';

/** The link that opens a direct message with an Instagram account; '' without a username. */
export function igMeLink(username) {
  return username ? `https://ig.me/m/${encodeURIComponent(username)}` : '';
}

const text = (value) => (typeof value === 'string' ? value : '');

/**
 * The card's link ({link, image, username, alreadyConnected, profileUrl}: connectLinkOf's, with
 * the account's profile) from the last connect answer ({qrCode, qrCodeDataUrl, instagramUrl,
 * username, alreadyConnected}; null when there is none) and the connected account's username.
 * Every link passes lib/url.js safeUrl; the ig.me link stands in for a missing or unsafe one.
 */
export function instagramCardLink(answer, accountUsername) {
  const given = answer && typeof answer === 'object' ? answer : {};
  const fromAnswer = connectLinkOf(given);
  const username = text(given.username) || text(accountUsername);
  return {
    link: (fromAnswer && fromAnswer.link) || igMeLink(username),
    image: fromAnswer ? fromAnswer.image : '',
    username,
    alreadyConnected: given.alreadyConnected === true,
    profileUrl: safeUrl(given.instagramUrl),
  };
}
