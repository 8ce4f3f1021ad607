import type { ServerResponse } from 'node:http';

// The HTML the fake LinkedIn serves: profile pages with their og:image written in several ways.

export function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
}

export function ogImageTag(url: string, markup: 'standard' | 'reversed' | 'entities'): string {
  const amp = url.replaceAll('&', '&amp;');
  switch (markup) {
    case 'standard':
      return `<meta property="og:image" content="${amp}">`;
    case 'reversed':
      return `<meta content='${amp}' data-rh="true" property='og:image'/>`;
    case 'entities':
      // Named, decimal and hex entities, as an HTML serializer might emit them.
      return `<meta name="twitter:card" content="summary"><meta property="og:image" content="${url
        .replaceAll('/', '&#x2F;')
        .replaceAll('&', '&#38;')
        .replaceAll('&#38;#x2F;', '&#x2F;')
        .replaceAll('=', '&equals;')}">`;
  }
}

export function profilePage(handle: string, ogImage: string): string {
  const safe = handle.replace(/[<>&"']/g, '');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${safe} | LinkedIn</title>
<meta property="og:title" content="${safe}">
<meta property="og:type" content="profile">
${ogImage}
<link rel="canonical" href="https://www.linkedin.com/in/${encodeURIComponent(handle)}">
</head><body><main><h1>${safe}</h1><img src="data:," alt=""></main></body></html>`;
}
