import { describe, expect, test } from 'vitest';
import { DomainError } from '../src/errors.ts';
import { canonicalHandle, handleFromProfileParams, parseLinkedinUrl, parseUsername } from '../src/linkedin-handle.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
  return 'no error';
};

describe('LinkedIn URLs', () => {
  test.each([
    ['linkedin.com/in/alex-rivera', 'alex-rivera'],
    ['https://www.linkedin.com/in/alex-rivera/', 'alex-rivera'],
    ['http://uk.linkedin.com/in/Alex-Rivera?trk=x#top', 'alex-rivera'],
    ['linkedin.com/in/ALEX-RIVERA/', 'alex-rivera'],
    ['https://linkedin.com/in/alex-rivera/details/experience/', 'alex-rivera'],
    ['https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa', 'josé-garcía'],
    ['https://www.linkedin.com/in/Jose%CC%81-x', 'josé-x'],
    ['WWW.LINKEDIN.COM/in/alex_rivera', 'alex_rivera'],
  ])('%s → %s', (input, handle) => {
    expect(parseLinkedinUrl(input)).toBe(handle);
  });

  test.each([
    'https://www.linkedin.com/company/acme',
    'https://www.linkedin.com/school/mit',
    'https://www.linkedin.com/in/',
    'https://www.linkedin.com/',
    'https://linkedin.com.evil.com/in/alex-rivera',
    'https://evil-linkedin.com/in/alex-rivera',
    'https://linkedin.com@evil.com/in/alex-rivera',
    'https://user:pass@www.linkedin.com/in/alex-rivera',
    'ftp://www.linkedin.com/in/alex-rivera',
    'javascript:alert(1)//linkedin.com/in/alex',
    'https://www.linkedin.com/in/%E0%A4%A',
    'https://www.linkedin.com/in/a',
    'https://www.linkedin.com/in/<script>',
    'https://www.linkedin.com/in/alex%2Frivera',
  ])('%s is invalid_linkedin_url', (input) => {
    expect(codeOf(() => parseLinkedinUrl(input))).toBe('invalid_linkedin_url');
  });
});

describe('usernames', () => {
  test.each([
    ['Alex-Rivera', 'alex-rivera'],
    ['josé-garcía', 'josé-garcía'],
    ['李小龙abc', '李小龙abc'],
    ['abc', 'abc'],
    ['a'.repeat(100), 'a'.repeat(100)],
  ])('%s → %s', (input, handle) => {
    expect(parseUsername(input)).toBe(handle);
  });

  test.each(['ab', 'a'.repeat(101), 'alex rivera', 'alex.rivera', 'alex/rivera', '<b>x</b>', '%41lex'])(
    '%s is invalid_username',
    (input) => {
      expect(codeOf(() => parseUsername(input))).toBe('invalid_username');
    },
  );

  test('composed and decomposed forms are one handle', () => {
    expect(canonicalHandle('Jose\u0301-x')).toBe(canonicalHandle('José-x'));
  });
});

describe('naming exactly one profile', () => {
  test('neither → missing_profile; different → conflicting_profile; the same twice is fine', () => {
    expect(codeOf(() => handleFromProfileParams({}))).toBe('missing_profile');
    expect(codeOf(() => handleFromProfileParams({ username: '', linkedin_url: '' }))).toBe('missing_profile');
    expect(
      codeOf(() => handleFromProfileParams({ username: 'bob-smith', linkedin_url: 'linkedin.com/in/alex-rivera' })),
    ).toBe('conflicting_profile');
    expect(handleFromProfileParams({ username: 'Alex-Rivera', linkedin_url: 'linkedin.com/in/alex-rivera' })).toBe(
      'alex-rivera',
    );
  });
});
