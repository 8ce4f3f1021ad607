import { tokenFromFragment } from './navigation/fragment-token.ts';
import { usePathname } from './navigation/location.ts';
import { InvitePage } from './routes/invite/invite-page.tsx';
import { SetupPage } from './routes/setup/setup-page.tsx';
import { SignInPage } from './routes/sign-in/sign-in-page.tsx';
import { SignedInArea } from './shell/signed-in-area.tsx';

export function App() {
  const path = usePathname();
  if (path === '/sign-in') return <SignInPage />;
  if (path === '/setup') return <SetupPage />;
  if (path === '/invite') return <InvitePage token={tokenFromFragment()} />;
  return <SignedInArea path={path} />;
}
