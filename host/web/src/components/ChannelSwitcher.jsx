// Which channel's conversations are listed: one pressed button among the loaded channels.

export function ChannelSwitcher({ channels, selected, onSelect }) {
  return (
    <div class="segmented" role="group" aria-label="Channel">
      {channels.map((c) => (
        <button
          key={c.name}
          type="button"
          class="segment"
          aria-pressed={c.name === selected ? 'true' : 'false'}
          onClick={() => c.name !== selected && onSelect(c.name)}
        >
          {c.displayName}
        </button>
      ))}
    </div>
  );
}
