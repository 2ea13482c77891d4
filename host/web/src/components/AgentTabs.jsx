// The agent page's tab list: a tab per loaded channel, then Conversations and Settings. Arrow
// keys move between tabs (and select them), Home and End jump to the first and last.

import { useEffect } from 'preact/hooks';

const kSteps = { ArrowRight: 1, ArrowLeft: -1 };

/** tabs: lib/channels.js agentTabs; the panel of tab X has the id tabpanel-X. */
export function AgentTabs({ tabs, selected, onSelect }) {
  // On a narrow screen the list scrolls sideways: keep the selected tab in sight.
  useEffect(() => {
    document
      .getElementById(`tab-${selected}`)
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [selected]);

  function onKey(event, index) {
    let next;
    if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    else if (kSteps[event.key]) next = (index + kSteps[event.key] + tabs.length) % tabs.length;
    else return;
    event.preventDefault();
    const id = tabs[next].id;
    onSelect(id);
    document.getElementById(`tab-${id}`)?.focus();
  }

  return (
    <div class="tabs" role="tablist" aria-label="Agent sections">
      {tabs.map((tab, i) => (
        <button
          key={tab.id}
          id={`tab-${tab.id}`}
          type="button"
          role="tab"
          class="tab"
          aria-selected={selected === tab.id ? 'true' : 'false'}
          aria-controls={`tabpanel-${tab.id}`}
          tabIndex={selected === tab.id ? 0 : -1}
          onClick={() => onSelect(tab.id)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
