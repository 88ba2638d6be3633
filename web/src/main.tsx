import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadConfig } from './lib/config';
import { restoreSession } from './lib/auth';
import { signedIn } from './lib/api';
import { initPractice } from './practice/controller';
import './styles.css';

function Root() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void (async () => {
      await loadConfig();
      await restoreSession();
      setReady(true);
      if (signedIn.get()) await initPractice();
    })();
    // Start the practice machinery (upload queue, resume) whenever the user signs in later.
    return signedIn.subscribe(() => {
      if (signedIn.get()) void initPractice();
    });
  }, []);
  return <App ready={ready} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
