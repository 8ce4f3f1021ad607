/**
 * The API reference the API serves at /docs (Swagger UI over its OpenAPI document, and the product's
 * pages), on the public API URL. A new tab, so the console stays where it was.
 */
export function ApiReferenceLink({
  publicApiUrl,
  className,
}: {
  readonly publicApiUrl: string;
  readonly className?: string;
}) {
  return (
    <a href={`${publicApiUrl}/docs`} target="_blank" rel="noopener" className={className}>
      API reference
      <span aria-hidden="true"> ↗</span>
    </a>
  );
}
