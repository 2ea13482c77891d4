// An attachment in a message bubble: images inline, video and audio in native players, anything
// else as a link naming its type. Media whose URL no longer loads (Instagram's CDN links expire)
// becomes a placeholder box instead of a broken image.

import { useState } from 'preact/hooks';

const kGone = 'Media no longer available';

export function Media({ attachment, onLoad }) {
  const [broken, setBroken] = useState(false);
  const { type, url, kind } = attachment;
  if (!url)
    return <span class="attachment attachment-placeholder">{type} attachment (no link)</span>;
  if (broken)
    return (
      <span class="attachment attachment-placeholder" role="img" aria-label={`${type}: ${kGone}`}>
        <span aria-hidden="true" class="attachment-placeholder-icon">
          ⊘
        </span>{' '}
        {kGone}
      </span>
    );
  const fail = () => setBroken(true);
  if (kind === 'image')
    return (
      <a href={url} target="_blank" rel="noopener noreferrer" class="attachment">
        <img
          src={url}
          alt={`${type === 'image' ? 'Image' : type} attachment`}
          loading="lazy"
          decoding="async"
          referrerpolicy="no-referrer"
          class="attachment-image"
          onLoad={onLoad}
          onError={fail}
        />
      </a>
    );
  if (kind === 'video')
    return (
      <div class="attachment attachment-media">
        <video
          src={url}
          controls
          preload="metadata"
          class="attachment-video"
          onLoadedMetadata={onLoad}
          onError={fail}
        >
          <a href={url} target="_blank" rel="noopener noreferrer">
            Open the video
          </a>
        </video>
        <a class="attachment-link" href={url} target="_blank" rel="noopener noreferrer">
          Open video
        </a>
      </div>
    );
  if (kind === 'audio')
    return (
      <div class="attachment attachment-media">
        <audio src={url} controls preload="metadata" class="attachment-audio" onError={fail}>
          <a href={url} target="_blank" rel="noopener noreferrer">
            Open the audio
          </a>
        </audio>
        <a class="attachment-link" href={url} target="_blank" rel="noopener noreferrer">
          Open audio
        </a>
      </div>
    );
  return (
    <a href={url} target="_blank" rel="noopener noreferrer" class="attachment attachment-file">
      {type} attachment
    </a>
  );
}
