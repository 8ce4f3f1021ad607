import { CopyButton } from '../../components/copy-button.tsx';

interface ShownKeyProps {
  readonly value: string;
  /** What it is, as the output and its copy button are named: "key" (an API key) or "signing secret". */
  readonly noun?: string;
  /** Why it cannot be shown again. */
  readonly why?: string;
}

/** A new key or signing secret, shown this once: it lives only in the state of the dialog that shows it. */
export function ShownKey({
  value,
  noun = 'key',
  why = 'avtrz keeps only its hash and cannot show it again.',
}: ShownKeyProps) {
  return (
    <div className="stack">
      <p className="warning" role="alert">
        Copy this {noun} now. It is shown only once: {why}
      </p>
      <div className="secret">
        <output aria-label={`New ${noun}`}>{value}</output>
        <CopyButton text={value} label={`Copy ${noun}`} />
      </div>
    </div>
  );
}
