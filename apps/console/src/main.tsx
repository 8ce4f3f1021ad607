import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { CrashBoundary } from './crash-boundary.tsx';
import { navigate } from './navigation/location.ts';
import { createQueryClient } from './query-client.ts';
import { createApiClient, TRPCProvider } from './trpc.ts';
import './styles.css';

function Root() {
  // One client each for the page's lifetime: the query cache is the only home of server data.
  const [queryClient] = useState<QueryClient>(() =>
    createQueryClient(() =>
      // After the cache has finished telling everyone about the error.
      queueMicrotask(() => {
        navigate('/sign-in', { replace: true });
        queryClient.clear();
      }),
    ),
  );
  const [apiClient] = useState(createApiClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={apiClient} queryClient={queryClient}>
        <CrashBoundary>
          <App />
        </CrashBoundary>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
