import { usePathname } from './navigation/location.ts';
import { SignInPage } from './routes/sign-in/sign-in-page.tsx';

export function App() {
  const path = usePathname();
  if (path === '/sign-in') return <SignInPage />;
  return <SignInPage />;
}
