import { CopyButton } from '../../components/copy-button.tsx';

/** A new key, shown this once: it lives only in the state of the dialog that shows it. */
export function ShownKey({ value }: { readonly value: string }) {
  return (
    <div className="stack">
      <p className="warning" role="alert">
        Copy this key now. It is shown only once: avtrz keeps only its hash and cannot show it again.
      </p>
      <div className="secret">
        <output aria-label="New key">{value}</output>
        <CopyButton text={value} label="Copy key" />
      </div>
    </div>
  );
}
