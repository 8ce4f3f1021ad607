import { Component, type ReactNode } from 'react';

/** A bug in a page shows a way out instead of a blank screen. */
export class CrashBoundary extends Component<{ children: ReactNode }, { crashed: boolean }> {
  override state = { crashed: false };

  static getDerivedStateFromError(): { crashed: boolean } {
    return { crashed: true };
  }

  override render() {
    if (!this.state.crashed) return this.props.children;
    return (
      <main className="auth-page" role="alert">
        <h1>Something went wrong</h1>
        <p>This page failed to show. Reloading usually helps.</p>
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </main>
    );
  }
}
