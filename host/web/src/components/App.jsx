// The page shell: sign-in state, the subaccount in use, routes, and the agent list beside them.

import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { createApi, paths } from '../lib/api.js';
import { isValidId } from '../lib/ids.js';
import { parseConnectResult, stripConnectQuery } from '../lib/oauth.js';
import { parseRoute, routePath } from '../lib/route.js';
import {
  decodeClaims,
  defaultSubaccount,
  loadToken,
  saveToken,
  tokenFromFragment,
} from '../lib/token.js';
import { AgentList } from './AgentList.jsx';
import { ApiPage } from './ApiPage.jsx';
import { AgentView } from './AgentView.jsx';
import { ConnectResultBanner } from './ConnectResultBanner.jsx';
import { NewAgent } from './NewAgent.jsx';
import { SignIn } from './SignIn.jsx';
import { TopBar } from './TopBar.jsx';

const kSubaccountKey = 'chathost.subaccount';

/** Takes a token from "#token=..." once, stores it, and removes it from the address bar. */
function initialToken() {
  const fromFragment = tokenFromFragment(window.location.hash);
  if (fromFragment) {
    saveToken(sessionStorage, fromFragment);
    sessionStorage.removeItem(kSubaccountKey);
    history.replaceState(history.state, '', window.location.pathname + window.location.search);
    return fromFragment;
  }
  return loadToken(sessionStorage);
}

/**
 * Takes the outcome of "Connect with Instagram" from the query (?connect=instagram&result=...)
 * once, and removes it from the address bar so a reload or a copied link does not repeat it.
 * agentId: the agent it is about ('' when the host sent the browser to "/").
 */
function initialConnectResult() {
  const result = parseConnectResult(window.location.search);
  if (!result) return null;
  history.replaceState(
    history.state,
    '',
    window.location.pathname + stripConnectQuery(window.location.search) + window.location.hash,
  );
  return { ...result, agentId: parseRoute(window.location.pathname).agentId || '' };
}

function initialSubaccount(token) {
  const saved = sessionStorage.getItem(kSubaccountKey);
  return saved || defaultSubaccount(decodeClaims(token));
}

export function App() {
  const [token, setToken] = useState(initialToken);
  const [notice, setNotice] = useState('');
  const [subaccount, setSubaccountState] = useState(() => initialSubaccount(token));
  const [route, setRouteState] = useState(() =>
    parseRoute(window.location.pathname, window.location.search),
  );
  const [agents, setAgents] = useState({ list: [], loading: true, error: null });
  const [connectResult, setConnectResult] = useState(initialConnectResult);
  const dismissConnectResult = useCallback(() => setConnectResult(null), []);

  const signOut = useCallback((message = '') => {
    saveToken(sessionStorage, '');
    sessionStorage.removeItem(kSubaccountKey);
    setNotice(message);
    setToken('');
  }, []);

  const api = useMemo(
    () =>
      createApi({
        token,
        onUnauthorized: (error) =>
          signOut(`Signed out: ${error.message} Sign in again with a valid token.`),
      }),
    [token, signOut],
  );

  const navigate = useCallback((next, { replace = false } = {}) => {
    const path = routePath(next);
    if (path !== window.location.pathname + window.location.search) {
      if (replace) history.replaceState(null, '', path);
      else history.pushState(null, '', path);
    }
    setRouteState(next);
  }, []);

  useEffect(() => {
    const onPop = () =>
      setRouteState(parseRoute(window.location.pathname, window.location.search));
    // A start-up link opened in a tab that already shows the page changes only the fragment.
    const onHash = () => {
      if (tokenFromFragment(window.location.hash)) signIn(initialToken());
    };
    window.addEventListener('popstate', onPop);
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  const loadAgents = useCallback(async () => {
    if (!token || !isValidId(subaccount)) return;
    setAgents((a) => ({ ...a, loading: true, error: null }));
    try {
      const data = await api.get(`${paths.agents(subaccount)}?limit=200`);
      setAgents({ list: data.agents || [], loading: false, error: null });
    } catch (error) {
      setAgents({ list: [], loading: false, error });
    }
  }, [api, token, subaccount]);

  useEffect(() => {
    loadAgents();
  }, [loadAgents]);

  function signIn(newToken) {
    saveToken(sessionStorage, newToken);
    const sub = defaultSubaccount(decodeClaims(newToken));
    sessionStorage.setItem(kSubaccountKey, sub);
    setSubaccountState(sub);
    setNotice('');
    setToken(newToken);
  }

  function setSubaccount(sub) {
    sessionStorage.setItem(kSubaccountKey, sub);
    setSubaccountState(sub);
    navigate({ view: 'list' });
  }

  // The API description is public: its page needs no sign-in.
  if (!token && route.view === 'api')
    return (
      <main class="content" id="content">
        <ApiPage onHome={() => navigate({ view: 'list' })} />
      </main>
    );
  if (!token) return <SignIn onSignIn={signIn} notice={notice} />;

  const detail = route.view !== 'list';
  // The outcome is shown on its agent's page; without an agent, above everything.
  const resultForAgent =
    connectResult &&
    connectResult.agentId &&
    route.view === 'agent' &&
    connectResult.agentId === route.agentId
      ? connectResult
      : null;
  const resultForPage = connectResult && !connectResult.agentId ? connectResult : null;
  return (
    <div class="shell">
      <TopBar
        claims={decodeClaims(token)}
        subaccount={subaccount}
        onSubaccount={setSubaccount}
        onSignOut={() => signOut('You signed out.')}
        onApi={() => navigate({ view: 'api' })}
        apiOpen={route.view === 'api'}
      />
      {resultForPage && (
        <div class="page-banner">
          <ConnectResultBanner result={resultForPage} onDismiss={dismissConnectResult} />
        </div>
      )}
      <div class={`layout${detail ? ' layout--detail' : ''}`}>
        <AgentList
          agents={agents}
          selectedId={route.agentId}
          onOpen={(id) => navigate({ view: 'agent', agentId: id, tab: 'instagram' })}
          onNew={() => navigate({ view: 'new' })}
          onRetry={loadAgents}
        />
        <main class="content" id="content" tabIndex={-1}>
          {route.view === 'list' && (
            <section class="empty-state">
              <h1>Agents</h1>
              <p class="muted">
                Choose an agent to connect Instagram and read its conversations, or create a new
                one.
              </p>
              <button
                class="button primary"
                type="button"
                onClick={() => navigate({ view: 'new' })}
              >
                New agent
              </button>
            </section>
          )}
          {route.view === 'api' && <ApiPage />}
          {route.view === 'new' && (
            <NewAgent
              api={api}
              subaccount={subaccount}
              onCancel={() => navigate({ view: 'list' })}
              onCreated={(agent) => {
                loadAgents();
                navigate({ view: 'agent', agentId: agent.id, tab: 'instagram' }, { replace: true });
              }}
            />
          )}
          {route.view === 'agent' && (
            <AgentView
              key={`${subaccount}/${route.agentId}`}
              api={api}
              subaccount={subaccount}
              route={route}
              navigate={navigate}
              onChanged={loadAgents}
              connectResult={resultForAgent}
              onDismissConnectResult={dismissConnectResult}
            />
          )}
        </main>
      </div>
    </div>
  );
}
