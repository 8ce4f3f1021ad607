import { describe, expect, test } from 'vitest';
import { ConfigError, consoleUrlFor, loadConfig, publicApiUrlFor } from '../src/config.ts';

describe('configuration from the environment', () => {
  test('defaults follow the contract', () => {
    const config = loadConfig({});
    expect(config.apiPort).toBe(3000);
    expect(config.adminPort).toBe(3001);
    expect(config.host).toBe('127.0.0.1');
    expect(config.publicCdnUrl).toBe('http://localhost:3000/cdn');
    expect(config.upstream.linkedinBaseUrl).toBe('https://www.linkedin.com');
    expect(config.upstream.imageHosts).toEqual(['media.licdn.com']);
    expect(config.upstream.allowPrivate).toBe(false);
    expect(config.resolution.waitMs).toBe(1500);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir.endsWith('/.data')).toBe(true);
    expect(config.storage).toEqual({ driver: 'fs', dir: `${config.dataDir}/images` });
  });

  test('values are parsed and the object is frozen all the way down', () => {
    const config = loadConfig({
      API_PORT: '8080',
      UPSTREAM_IMAGE_HOSTS: 'media.licdn.com, Static.Licdn.com',
      UPSTREAM_ALLOW_PRIVATE: 'true',
      PUBLIC_CDN_URL: 'https://cdn.example.com/avatars/',
      RESOLVE_WAIT_MS: '0',
    });
    expect(config.apiPort).toBe(8080);
    expect(config.upstream.imageHosts).toEqual(['media.licdn.com', 'static.licdn.com']);
    expect(config.upstream.allowPrivate).toBe(true);
    expect(config.publicCdnUrl).toBe('https://cdn.example.com/avatars');
    expect(config.resolution.waitMs).toBe(0);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.upstream)).toBe(true);
    expect(() => {
      (config.upstream.imageHosts as string[]).push('evil.example');
    }).toThrow(TypeError);
  });

  test.each([
    ['API_PORT', 'banana', 'invalid API_PORT="banana": expected a port number'],
    ['API_PORT', '70000', 'invalid API_PORT="70000": expected a port from 0 to 65535'],
    ['DATABASE_URL', 'mysql://x', 'invalid DATABASE_URL="mysql://x": expected a postgres:// URL'],
    ['PUBLIC_CDN_URL', 'ftp://cdn', 'invalid PUBLIC_CDN_URL="ftp://cdn": expected an http(s) URL'],
    ['UPSTREAM_ALLOW_PRIVATE', 'maybe', 'invalid UPSTREAM_ALLOW_PRIVATE="maybe": expected true or false'],
    ['RESOLVE_WAIT_MS', '-5', 'invalid RESOLVE_WAIT_MS="-5": expected a whole number from 0 to 30000'],
    ['OPERATOR_TOKEN', 'short', 'invalid OPERATOR_TOKEN="short": expected at least 16 characters'],
    [
      'CONSOLE_URL',
      'https://console.example.com/app',
      'invalid CONSOLE_URL="https://console.example.com/app": expected an origin such as https://console.example.com (no path)',
    ],
    ['AUTH_SECRET', 'short', 'invalid AUTH_SECRET="short": expected at least 32 characters'],
    ['LOG_LEVEL', 'loud', 'invalid LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent'],
  ])('a bad %s=%s is refused with one line naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new ConfigError(message));
  });

  test("the console's URL is CONSOLE_URL, else the admin server's own address", () => {
    expect(consoleUrlFor(loadConfig({}))).toBe('http://127.0.0.1:3001');
    expect(consoleUrlFor(loadConfig({ ADMIN_PORT: '4001' }), 54321)).toBe('http://127.0.0.1:54321');
    expect(consoleUrlFor(loadConfig({ HOST: '0.0.0.0' }))).toBe('http://localhost:3001');
    expect(consoleUrlFor(loadConfig({ HOST: '::1' }))).toBe('http://[::1]:3001');
    expect(consoleUrlFor(loadConfig({ CONSOLE_URL: 'https://Console.Example.com/' }))).toBe(
      'https://console.example.com',
    );
  });

  test("the public API's URL (the console's snippets) is PUBLIC_API_URL, else the API's own address", () => {
    expect(publicApiUrlFor(loadConfig({}))).toBe('http://127.0.0.1:3000');
    expect(publicApiUrlFor(loadConfig({ API_PORT: '4000', HOST: '0.0.0.0' }))).toBe('http://localhost:4000');
    expect(publicApiUrlFor(loadConfig({ PUBLIC_API_URL: 'https://avatars.example.com/' }))).toBe(
      'https://avatars.example.com',
    );
    expect(() => loadConfig({ PUBLIC_API_URL: 'ftp://avatars.example.com' })).toThrow(
      new ConfigError('invalid PUBLIC_API_URL="ftp://avatars.example.com": expected an http(s) URL'),
    );
  });

  test('S3 storage needs a bucket', () => {
    expect(() => loadConfig({ STORAGE_DRIVER: 's3' })).toThrow('invalid S3_BUCKET="": required when STORAGE_DRIVER=s3');
  });

  test('empty variables count as unset', () => {
    expect(loadConfig({ API_PORT: '', DATABASE_URL: '' }).apiPort).toBe(3000);
  });
});
