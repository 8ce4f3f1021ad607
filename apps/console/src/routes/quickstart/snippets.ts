// The server snippets are the files under examples/snippets, which a test runs as written against the API;
// Vite copies each file into the build as it is (`?raw`), so the console has no text of its own to drift.
import curlFile from '../../../../../examples/snippets/curl.sh?raw';
import fetchFile from '../../../../../examples/snippets/fetch.ts?raw';
import httpxFile from '../../../../../examples/snippets/httpx.py?raw';
import nextjsFile from '../../../../../examples/snippets/nextjs/app/avatar/route.ts?raw';

export interface SnippetValues {
  /** e.g. https://avatars.example.com (no trailing slash). */
  readonly apiUrl: string;
  /** The full publishable key, or its masked form when the full key is not at hand. */
  readonly publishableKey: string;
}

export interface Snippet {
  readonly id: string;
  readonly title: string;
  /** Where the file goes in the reader's project, when that matters (the Next.js route). */
  readonly file?: string;
  /** The examples/ file it is, when it is one. */
  readonly source?: string;
  readonly text: string;
}

/** The secret key is never printed into a snippet: the examples read it from this environment variable. */
export const SECRET_ENV_VAR = 'AVTRZ_SECRET';

/**
 * How each file reads the API's base URL from the environment (AVTRZ_API_URL); the console writes this
 * installation's URL in its place and changes nothing else.
 */
const apiUrlReferences = {
  typescript: '${process.env.AVTRZ_API_URL}',
  python: "{os.environ['AVTRZ_API_URL']}",
  shell: '$AVTRZ_API_URL',
} as const;

interface ExampleFile {
  readonly id: string;
  readonly title: string;
  readonly file?: string;
  readonly source: string;
  readonly language: keyof typeof apiUrlReferences;
  readonly text: string;
}

const exampleFiles: readonly ExampleFile[] = [
  {
    id: 'nextjs',
    title: 'Next.js route handler (secret key)',
    file: 'app/avatar/route.ts',
    source: 'examples/snippets/nextjs/app/avatar/route.ts',
    language: 'typescript',
    text: nextjsFile,
  },
  {
    id: 'fetch',
    title: 'fetch (secret key, on your server)',
    source: 'examples/snippets/fetch.ts',
    language: 'typescript',
    text: fetchFile,
  },
  {
    id: 'httpx',
    title: 'Python httpx (secret key)',
    source: 'examples/snippets/httpx.py',
    language: 'python',
    text: httpxFile,
  },
  { id: 'curl', title: 'curl (secret key)', source: 'examples/snippets/curl.sh', language: 'shell', text: curlFile },
];

const PROFILE = 'linkedin.com/in/alex-rivera';

/** The <img> tag (the one snippet with a publishable key, which may be printed), then the examples' files. */
export function quickstartSnippets({ apiUrl, publishableKey }: SnippetValues): Snippet[] {
  return [
    {
      id: 'img',
      title: 'HTML <img> (publishable key)',
      text: `<img src="${apiUrl}/v1/avatar?key=${publishableKey}&linkedin_url=${PROFILE}&size=128" alt="" />`,
    },
    ...exampleFiles.map(({ id, title, file, source, language, text }) => ({
      id,
      title,
      file,
      source,
      text: text.replaceAll(apiUrlReferences[language], apiUrl).trimEnd(),
    })),
  ];
}
