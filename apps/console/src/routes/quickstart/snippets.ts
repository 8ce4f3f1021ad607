/**
 * The product documents' snippets, filled in with this installation's API URL and a publishable
 * key. A secret key never appears: its place holds the environment variable AVTRZ_SECRET. Every
 * snippet text lives here, so that the tested copies under examples/ can replace them later.
 */

export interface SnippetValues {
  /** e.g. https://avatars.example.com (no trailing slash). */
  readonly apiUrl: string;
  /** The full publishable key, or its masked form when the full key is not at hand. */
  readonly publishableKey: string;
}

export interface Snippet {
  readonly id: string;
  readonly title: string;
  readonly language: string;
  readonly file?: string;
  readonly text: string;
}

export const SECRET_ENV_VAR = 'AVTRZ_SECRET';
const PROFILE = 'linkedin.com/in/alex-rivera';

export function quickstartSnippets({ apiUrl, publishableKey }: SnippetValues): Snippet[] {
  const endpoint = `${apiUrl}/v1/avatar`;
  return [
    {
      id: 'img',
      title: 'HTML <img> (publishable key)',
      language: 'html',
      text: `<img src="${endpoint}?key=${publishableKey}&linkedin_url=${PROFILE}&size=128" alt="" />`,
    },
    {
      id: 'nextjs',
      title: 'Next.js route handler (secret key)',
      language: 'typescript',
      file: 'app/avatar/route.ts',
      text: `import { NextResponse } from "next/server";

export async function GET(req: Request) {
  const linkedin_url = new URL(req.url).searchParams.get("linkedin_url");

  const upstream = await fetch(
    \`${endpoint}?linkedin_url=\${encodeURIComponent(linkedin_url!)}&size=128\`,
    {
      headers: { "x-api-key": process.env.${SECRET_ENV_VAR}! },
      redirect: "manual",
    }
  );

  const cdnUrl = upstream.headers.get("location");
  if (!cdnUrl) return NextResponse.json({ found: false });
  return NextResponse.redirect(cdnUrl, 302);
}`,
    },
    {
      id: 'fetch',
      title: 'fetch (secret key, on your server)',
      language: 'javascript',
      text: `const res = await fetch(
  "${endpoint}?linkedin_url=${PROFILE}&size=256",
  {
    headers: { "x-api-key": process.env.${SECRET_ENV_VAR}! },
    redirect: "manual",
  }
);
const cdnUrl = res.headers.get("location");`,
    },
    {
      id: 'httpx',
      title: 'Python httpx (secret key)',
      language: 'python',
      text: `import httpx, os

res = httpx.get(
    "${endpoint}",
    params={"linkedin_url": "${PROFILE}", "size": 256},
    headers={"x-api-key": os.environ["${SECRET_ENV_VAR}"]},
    follow_redirects=False,
)
cdn_url = res.headers["location"]`,
    },
    {
      id: 'curl',
      title: 'curl (secret key)',
      language: 'shell',
      text: `curl -i "${endpoint}?linkedin_url=${PROFILE}&size=256" \\
  -H "x-api-key: $${SECRET_ENV_VAR}"`,
    },
  ];
}
