import assert from 'node:assert/strict';
import { test } from 'node:test';
import { igMeLink, instagramCardLink } from '../src/lib/instagram.js';

const kPng = 'data:image/png;base64,iVBORw0KGgo=';

test('instagramCardLink takes the connect answer: QR code, link, profile, outcome', () => {
  const answer = {
    qrCode: 'https://ig.me/m/shop',
    qrCodeDataUrl: kPng,
    instagramUrl: 'https://www.instagram.com/shop/',
    username: 'shop',
    alreadyConnected: true,
  };
  assert.deepEqual(instagramCardLink(answer, 'other'), {
    link: 'https://ig.me/m/shop',
    image: kPng,
    username: 'shop',
    alreadyConnected: true,
    profileUrl: 'https://www.instagram.com/shop/',
  });
});

test('instagramCardLink: without an answer, the ig.me link of the connected account', () => {
  assert.deepEqual(instagramCardLink(null, 'shop'), {
    link: 'https://ig.me/m/shop',
    image: '',
    username: 'shop',
    alreadyConnected: false,
    profileUrl: '',
  });
  assert.deepEqual(instagramCardLink(null, undefined), {
    link: '',
    image: '',
    username: '',
    alreadyConnected: false,
    profileUrl: '',
  });
});

test('instagramCardLink puts no unsafe URL in an href', () => {
  const card = instagramCardLink(
    {
      qrCode: 'javascript:alert(1)',
      qrCodeDataUrl: 'data:text/html;base64,PGI+',
      instagramUrl: ' javascript:alert(2)',
      username: 'shop',
    },
    '',
  );
  assert.equal(card.link, 'https://ig.me/m/shop', 'the account link stands in');
  assert.equal(card.image, '');
  assert.equal(card.profileUrl, '');
});

test('igMeLink encodes the username and needs one', () => {
  assert.equal(igMeLink('shop.account_1'), 'https://ig.me/m/shop.account_1');
  assert.equal(igMeLink('a/b?c'), 'https://ig.me/m/a%2Fb%3Fc');
  assert.equal(igMeLink(''), '');
});
